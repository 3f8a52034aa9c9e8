/**
 * `node --import @faultline/node/init app.js` (or `--require` for CommonJS): starts the SDK before the
 * application's first line, configured from the environment: `FAULTLINE_DSN`, `FAULTLINE_RELEASE`,
 * `FAULTLINE_ENVIRONMENT`, `FAULTLINE_TRACES_SAMPLE_RATE` (each also read as `SENTRY_*`).
 */
import { init } from './sdk';

init();
