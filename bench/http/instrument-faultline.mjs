// `--import`ed before the app: starts Faultline through the framework package's `init`, as its README
// shows. BENCH_TRACES_SAMPLE_RATE unset leaves tracing unset (errors-only). BENCH_PACKAGES (a
// packages/ directory, default this repository's) lets compare-builds.mjs run a saved build.
import { faultlinePackageUrl } from './faultline-packages.mjs';

const faultline = await import(faultlinePackageUrl(process.env.BENCH_FRAMEWORK));
const rate = process.env.BENCH_TRACES_SAMPLE_RATE;
faultline.init({
  dsn: process.env.BENCH_DSN,
  ...(rate === undefined ? {} : { tracesSampleRate: Number(rate) }),
});
