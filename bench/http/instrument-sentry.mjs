// `--import`ed before the app, as Sentry's Node docs prescribe (instrument file, then the app).
// BENCH_TRACES_SAMPLE_RATE unset leaves tracing unset (errors-only).
import * as Sentry from '@sentry/node';

const rate = process.env.BENCH_TRACES_SAMPLE_RATE;
Sentry.init({
  dsn: process.env.BENCH_DSN,
  ...(rate === undefined ? {} : { tracesSampleRate: Number(rate) }),
});
