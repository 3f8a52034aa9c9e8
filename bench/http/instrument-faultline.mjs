// `--import`ed before the app: starts Faultline through the framework package's `init`, as its README
// shows. BENCH_TRACES_SAMPLE_RATE unset leaves tracing unset (errors-only).
const faultline = await import(
  new URL(`../../packages/${process.env.BENCH_FRAMEWORK}/dist/index.js`, import.meta.url).href
);
const rate = process.env.BENCH_TRACES_SAMPLE_RATE;
faultline.init({
  dsn: process.env.BENCH_DSN,
  ...(rate === undefined ? {} : { tracesSampleRate: Number(rate) }),
});
