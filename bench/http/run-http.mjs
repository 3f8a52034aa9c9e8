// The HTTP bench: for each round, framework and configuration, a fresh app process pinned to core 0
// while this process (autocannon), the ingest and the upstream run on core 1. Per app process:
// startup (spawn → first 200; the median of STARTUP_SAMPLES spawns alternated with the other
// configurations' before the round's load runs), RSS after 10k requests, a discarded saturation
// phase as long as the measured one, saturation req/s and CPU µs per request, RSS again (V8 is still
// growing the young generation of every app after 10k requests, the SDK's sooner: both are reported),
// then p50/p99 at a fixed rate; finally what reached the ingest.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from '../lib/statistics.mjs';
import { CONFIGURATIONS } from './configurations.mjs';
import { atFixedRate } from './fixed-rate-load.mjs';
import { checkRoutes, saturate, sendRequests, statusOf } from './load.mjs';
import { startPinned, stopProcess } from './pinned-process.mjs';
import { cpuMicros, residentMB } from './proc-stats.mjs';

const APP_CORE = 0;
const LOAD_CORE = 1;
const CONNECTIONS = 50;
const FIXED_RATE = 500;
const FIXED_RATE_CONNECTIONS = 10;
const RSS_AFTER_REQUESTS = 10_000;
/**
 * Spawns per configuration and round for its startup figure, alternating the configurations: one
 * spawn on this VM varies by ±50 ms and drifts over seconds, more than the 40 ms target, so a
 * round's figure is the median of spawns made side by side with the other configurations'.
 */
export const STARTUP_SAMPLES = 5;
const APP_FILES = {
  express: new URL('./express-app.mjs', import.meta.url).pathname,
  fastify: new URL('./fastify-app.mjs', import.meta.url).pathname,
};

/**
 * options: { rounds, seconds, frameworks: ['express', 'fastify'], configurationIds?: string[], log }
 * Returns one measurement per (round, framework, configuration).
 */
export async function runHttpBench(options) {
  const configurations = CONFIGURATIONS.filter(
    (configuration) => !options.configurationIds || options.configurationIds.includes(configuration.id),
  );
  execFileSync('taskset', ['-a', '-cp', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  const helperEnv = cleanEnvironment();
  const ingest = await startPinned(
    LOAD_CORE,
    [new URL('./ingest-process.mjs', import.meta.url).pathname],
    helperEnv,
  );
  const upstream = await startPinned(
    LOAD_CORE,
    [new URL('./upstream-process.mjs', import.meta.url).pathname],
    helperEnv,
  );
  const context = {
    ...options,
    dsn: `http://0123456789abcdef0123456789abcdef@127.0.0.1:${ingest.port}/1`,
    ingestUrl: `http://127.0.0.1:${ingest.port}/counts`,
    upstreamUrl: `http://127.0.0.1:${upstream.port}/inventory`,
  };
  const measurements = [];
  try {
    for (let round = 1; round <= options.rounds; round++) {
      for (const framework of options.frameworks) {
        // Rotating the order spreads warm-up and drift effects over every configuration.
        const shift = (round - 1) % configurations.length;
        const ordered = [...configurations.slice(shift), ...configurations.slice(0, shift)];
        const startups = await measureStartups(context, framework, ordered);
        for (const configuration of ordered) {
          const measurement = await measureWithRetry(context, framework, configuration);
          measurement.startupMs = startups.get(configuration.id);
          measurements.push({ round, framework, configuration: configuration.id, ...measurement });
          options.log(
            `http round ${round} ${framework} ${configuration.id}: ${measurement.requestsPerSecond.toFixed(0)} req/s, ` +
              `${measurement.cpuMicrosPerRequest.toFixed(0)} µs CPU/req, p99 ${measurement.p99} ms, ` +
              `startup ${measurement.startupMs.toFixed(0)} ms, RSS ${measurement.rssMB.toFixed(1)} MB, ` +
              `${measurement.transactionsReceived} transactions / ${measurement.responses} requests`,
          );
        }
      }
    }
  } finally {
    await stopProcess(ingest.child);
    await stopProcess(upstream.child);
  }
  return measurements;
}

/** One retry after a pause: on a shared machine a concurrent `pnpm build` can briefly remove dist/. */
async function measureWithRetry(context, framework, configuration) {
  try {
    return await measureOne(context, framework, configuration);
  } catch (error) {
    context.log(
      `http ${framework} ${configuration.id} failed, retrying once in 10 s: ${error.message.split('\n')[0]}`,
    );
    await sleep(10_000);
    return measureOne(context, framework, configuration);
  }
}

/** How the app process of a configuration is started: node arguments and environment. */
function appProcess(context, framework, configuration) {
  const env = {
    ...cleanEnvironment(),
    BENCH_SDK: configuration.sdk,
    BENCH_FRAMEWORK: framework,
    BENCH_DSN: context.dsn,
    BENCH_UPSTREAM_URL: context.upstreamUrl,
    ...(configuration.tracesSampleRate === undefined
      ? {}
      : { BENCH_TRACES_SAMPLE_RATE: String(configuration.tracesSampleRate) }),
  };
  const nodeArgs = [
    ...(configuration.instrument ? ['--import', configuration.instrument] : []),
    APP_FILES[framework],
  ];
  return { nodeArgs, env };
}

/** Per configuration, the median spawn → first 200 over STARTUP_SAMPLES alternated spawns. */
async function measureStartups(context, framework, configurations) {
  const samples = new Map(configurations.map((configuration) => [configuration.id, []]));
  for (let sample = 0; sample < STARTUP_SAMPLES; sample++) {
    for (const configuration of configurations) {
      const { nodeArgs, env } = appProcess(context, framework, configuration);
      samples.get(configuration.id).push(await startupSample(nodeArgs, env));
    }
  }
  return new Map([...samples].map(([id, values]) => [id, median(values)]));
}

async function measureOne(context, framework, configuration) {
  const { nodeArgs, env } = appProcess(context, framework, configuration);
  const before = await ingestCounts(context.ingestUrl);
  const app = await startPinned(APP_CORE, nodeArgs, env);
  const pid = app.child.pid;
  const baseUrl = `http://127.0.0.1:${app.port}`;
  try {
    // Start-up was timed in the round's start-up phase; the route checks are this process's first requests.
    const checks = await checkRoutes(baseUrl);

    const warm = await sendRequests(baseUrl, { amount: RSS_AFTER_REQUESTS, connections: CONNECTIONS });
    const rssMB = residentMB(pid);

    // Discarded: after 10k requests V8 is still compiling hot code, the SDK's more than the app's, and
    // a long-running service pays that once, not in its throughput
    // (bench/results/2026-11-27-steady-state-warm-up.md).
    const settling = await saturate(baseUrl, { connections: CONNECTIONS, seconds: context.seconds });

    const cpuBefore = cpuMicros(pid);
    const saturation = await saturate(baseUrl, { connections: CONNECTIONS, seconds: context.seconds });
    const cpuMicrosPerRequest = (cpuMicros(pid) - cpuBefore) / saturation.responses;
    const rssAfterLoadMB = residentMB(pid);
    const requestsBeforeRssAfterLoad = checks + warm.responses + settling.responses + saturation.responses;

    const fixed = await atFixedRate(baseUrl, {
      rate: FIXED_RATE,
      connections: FIXED_RATE_CONNECTIONS,
      seconds: context.seconds,
    });
    const after = await settledIngestCounts(context.ingestUrl);
    const responses = requestsBeforeRssAfterLoad + fixed.responses;
    return {
      rssMB,
      rssAfterLoadMB,
      requestsBeforeRssAfterLoad,
      requestsPerSecond: saturation.requestsPerSecond,
      cpuMicrosPerRequest,
      p50: fixed.p50,
      p99: fixed.p99,
      responses,
      failures: warm.failures + settling.failures + saturation.failures + fixed.failures,
      transactionsReceived: transactions(after) - transactions(before),
      itemsReceived: Object.fromEntries(
        Object.entries(after.items).map(([type, count]) => [type, count - (before.items[type] ?? 0)]),
      ),
      errorEventsReceived: (after.items.event ?? 0) - (before.items.event ?? 0),
    };
  } catch (error) {
    throw new Error(`${framework} ${configuration.id}: ${error.message}\n${app.stderr()}`);
  } finally {
    await stopProcess(app.child);
  }
}

/** Spawn → first 200 of a process that is stopped right after. */
async function startupSample(nodeArgs, env) {
  const app = await startPinned(APP_CORE, nodeArgs, env);
  try {
    const status = await statusOf(`http://127.0.0.1:${app.port}/text`);
    if (status !== 200) throw new Error(`first request answered ${status}`);
    return performance.now() - app.spawnedAt;
  } finally {
    await stopProcess(app.child);
  }
}

/** The SDKs keep sending after the load stops: wait until the ingest's count holds still. */
async function settledIngestCounts(url) {
  let previous = await ingestCounts(url);
  for (let waited = 0; waited < 10_000; waited += 500) {
    await sleep(500);
    const current = await ingestCounts(url);
    if (current.envelopes === previous.envelopes) return current;
    previous = current;
  }
  return previous;
}

function transactions(counts) {
  return (counts.items.transaction ?? 0) + counts.segments;
}

async function ingestCounts(url) {
  const response = await fetch(url);
  return response.json();
}

/** No SDK may pick up a DSN, sample rate or exporter from the caller's environment. */
function cleanEnvironment() {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(SENTRY_|FAULTLINE_|OTEL_|NODE_OPTIONS$)/.test(key)),
  );
  return { ...env, NODE_ENV: 'production', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
}
