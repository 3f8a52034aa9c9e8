// The loopback ingest and upstream of the in-process drill-downs (allocation.mjs, instructions.mjs),
// pinned where the HTTP bench puts them, and the flags and environment an app process needs to run
// one configuration against them.
import { startPinned, stopProcess } from './pinned-process.mjs';

const here = (file) => new URL(file, import.meta.url).pathname;

export async function startBenchServers() {
  const ingest = await startPinned(1, [here('./ingest-process.mjs')], process.env);
  const upstream = await startPinned(1, [here('./upstream-process.mjs')], process.env);
  return {
    /** Node flags and environment of an app process for `configuration` (from configurations.mjs). */
    appProcess(configuration, framework, nodeFlags = []) {
      const flags = [...nodeFlags];
      if (configuration.instrument) flags.push('--import', configuration.instrument);
      const env = {
        ...process.env,
        BENCH_SDK: configuration.sdk,
        BENCH_FRAMEWORK: framework,
        BENCH_DSN: `http://0123456789abcdef0123456789abcdef@127.0.0.1:${ingest.port}/1`,
        BENCH_UPSTREAM_URL: `http://127.0.0.1:${upstream.port}/stock`,
      };
      if (configuration.tracesSampleRate !== undefined)
        env.BENCH_TRACES_SAMPLE_RATE = String(configuration.tracesSampleRate);
      return { flags, env };
    },
    stop: () => Promise.all([stopProcess(ingest.child), stopProcess(upstream.child)]),
  };
}
