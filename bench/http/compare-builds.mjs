#!/usr/bin/env node
// A drill-down for hot-path work: the HTTP bench's apps, load and ingest, but with two or more
// Faultline builds side by side in the same rounds (a saved copy of packages/ against the working
// tree), and the numbers that move first: app CPU µs per request over a fixed number of requests,
// req/s, RSS after the warm-up, and what reached the ingest. Optionally writes a CPU profile or a
// heap snapshot of every app process.
//   node bench/http/compare-builds.mjs --builds base=/tmp/base/packages,work=packages
//     [--framework express|fastify] [--configurations none,faultline-errors,…] [--rounds 3]
//     [--warmup 40000] [--requests 20000] [--cpu-prof DIR] [--heap-snapshot DIR] [--probe FILE,…]
// --probe adds a variant per file: no SDK, with that file `--import`ed (to price one mechanism, such
// as an AsyncLocalStorage layer per request, on its own).
// The default warm-up outlasts V8's tiering of hot code: after 10,000 requests the SDK configurations
// used 14–31% more CPU per request on Node 24 (bench/results/2026-11-27-steady-state-warm-up.md).
// Save a build with: mkdir -p /tmp/base && cp -a packages /tmp/base/ && ln -s "$PWD/node_modules" /tmp/base/
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { markdownTable } from '../lib/markdown-table.mjs';
import { formatSummary, summarize } from '../lib/statistics.mjs';
import { CONFIGURATIONS } from './configurations.mjs';
import { sendRequests } from './load.mjs';
import { startPinned, stopProcess } from './pinned-process.mjs';
import { cpuTimes, residentMB } from './proc-stats.mjs';

const APP_CORE = 0;
const LOAD_CORE = 1;
const CONNECTIONS = 50;
const { values } = parseArgs({
  options: {
    builds: { type: 'string', default: 'work=packages' },
    framework: { type: 'string', default: 'express' },
    configurations: { type: 'string', default: 'none,faultline-errors,faultline-0.1,faultline-1.0' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '40000' },
    requests: { type: 'string', default: '20000' },
    'cpu-prof': { type: 'string' },
    'heap-snapshot': { type: 'string' },
    probe: { type: 'string' },
  },
});

const builds = values.builds.split(',').map((entry) => {
  const [name, dir] = entry.split('=');
  return { name, dir: resolve(dir) };
});
const configurations = values.configurations.split(',').map((id) => {
  const configuration = CONFIGURATIONS.find(
    (c) => c.id === id && (c.sdk === 'faultline' || c.sdk === 'none'),
  );
  if (!configuration) throw new Error(`unknown or non-Faultline configuration ${id}`);
  return configuration;
});
// The no-SDK configurations need no build; every other configuration runs once per build.
const variants = configurations.flatMap((configuration) =>
  configuration.sdk === 'none'
    ? [{ configuration, build: undefined, label: configuration.id }]
    : builds.map((build) => ({ configuration, build, label: `${configuration.id} @${build.name}` })),
);
for (const file of values.probe?.split(',') ?? []) {
  const path = resolve(file);
  variants.push({ configuration: { id: 'probe', sdk: 'none', instrument: path }, label: `probe ${file}` });
}
const APP_FILE = new URL(`./${values.framework}-app.mjs`, import.meta.url).pathname;
for (const dir of [values['cpu-prof'], values['heap-snapshot']]) if (dir) mkdirSync(dir, { recursive: true });

execFileSync('taskset', ['-a', '-cp', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
const ingest = await startPinned(
  LOAD_CORE,
  [new URL('./ingest-process.mjs', import.meta.url).pathname],
  process.env,
);
const upstream = await startPinned(
  LOAD_CORE,
  [new URL('./upstream-process.mjs', import.meta.url).pathname],
  process.env,
);
const context = {
  dsn: `http://0123456789abcdef0123456789abcdef@127.0.0.1:${ingest.port}/1`,
  ingestUrl: `http://127.0.0.1:${ingest.port}/counts`,
  upstreamUrl: `http://127.0.0.1:${upstream.port}/inventory`,
};

const results = new Map(variants.map((variant) => [variant.label, []]));
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    const shift = (round - 1) % variants.length;
    for (const variant of [...variants.slice(shift), ...variants.slice(0, shift)]) {
      const measurement = await measure(variant, round);
      results.get(variant.label).push(measurement);
      console.error(
        `round ${round} ${variant.label}: ${measurement.cpuMicrosPerRequest.toFixed(0)} µs CPU/req ` +
          `(${measurement.systemMicrosPerRequest.toFixed(0)} system), ` +
          `${measurement.requestsPerSecond.toFixed(0)} req/s, RSS ${measurement.rssMB.toFixed(1)} MB, ` +
          `${measurement.transactions} tx / ${measurement.responses} req, items ${JSON.stringify(measurement.items)}`,
      );
    }
  }
} finally {
  await stopProcess(ingest.child);
  await stopProcess(upstream.child);
}
console.log(report());

async function measure({ configuration, build }, round) {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    BENCH_SDK: configuration.sdk,
    BENCH_FRAMEWORK: values.framework,
    BENCH_DSN: context.dsn,
    BENCH_UPSTREAM_URL: context.upstreamUrl,
    ...(build ? { BENCH_PACKAGES: build.dir } : {}),
    ...(configuration.tracesSampleRate === undefined
      ? {}
      : { BENCH_TRACES_SAMPLE_RATE: String(configuration.tracesSampleRate) }),
  };
  const tag = `${values.framework}-${configuration.id}-${build?.name ?? 'none'}-r${round}`;
  const nodeArgs = [
    // The profile is written at exit: a SIGINT must exit (the SDK's own handler does, no-SDK apps need one).
    ...(values['cpu-prof']
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${values['cpu-prof']}`,
          `--cpu-prof-name=${tag}.cpuprofile`,
          '--import',
          'data:text/javascript,process.once("SIGINT",()=>process.exit())',
        ]
      : []),
    ...(values['heap-snapshot']
      ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${values['heap-snapshot']}`]
      : []),
    ...(configuration.instrument ? ['--import', configuration.instrument] : []),
    APP_FILE,
  ];
  const before = await ingestCounts();
  const app = await startPinned(APP_CORE, nodeArgs, env);
  const pid = app.child.pid;
  const url = `http://127.0.0.1:${app.port}`;
  try {
    const warm = await sendRequests(url, { amount: Number(values.warmup), connections: CONNECTIONS });
    const rssMB = residentMB(pid);
    if (values['heap-snapshot']) {
      process.kill(pid, 'SIGUSR2');
      await sleep(3000);
    }
    const cpuBefore = cpuTimes(pid);
    const load = await sendRequests(url, { amount: Number(values.requests), connections: CONNECTIONS });
    const cpuAfter = cpuTimes(pid);
    const systemMicrosPerRequest = (cpuAfter.system - cpuBefore.system) / load.responses;
    const cpuMicrosPerRequest = (cpuAfter.user - cpuBefore.user) / load.responses + systemMicrosPerRequest;
    const after = await settledIngestCounts(before);
    const items = Object.fromEntries(
      Object.entries(after.items).map(([type, count]) => [type, count - (before.items[type] ?? 0)]),
    );
    return {
      cpuMicrosPerRequest,
      systemMicrosPerRequest,
      requestsPerSecond: load.responses / load.seconds,
      rssMB,
      responses: warm.responses + load.responses,
      transactions: items.transaction ?? 0,
      items,
    };
  } finally {
    // SIGINT lets --cpu-prof write its profile; SIGKILL after a grace period in any case.
    if (values['cpu-prof']) {
      app.child.kill('SIGINT');
      await Promise.race([new Promise((done) => app.child.once('exit', done)), sleep(5000)]);
    }
    await stopProcess(app.child);
  }
}

async function settledIngestCounts() {
  let previous = await ingestCounts();
  for (let waited = 0; waited < 10_000; waited += 500) {
    await sleep(500);
    const current = await ingestCounts();
    if (current.envelopes === previous.envelopes) return current;
    previous = current;
  }
  return previous;
}

async function ingestCounts() {
  return (await fetch(context.ingestUrl)).json();
}

function report() {
  const baseline = summarize(results.get('none')?.map((m) => m.cpuMicrosPerRequest) ?? [])?.median;
  const rows = variants.map(({ label }) => {
    const measurements = results.get(label);
    const cpu = summarize(measurements.map((m) => m.cpuMicrosPerRequest));
    return [
      label,
      formatSummary(cpu),
      baseline && cpu ? `+${(cpu.median - baseline).toFixed(0)}` : '–',
      formatSummary(summarize(measurements.map((m) => m.systemMicrosPerRequest))),
      formatSummary(summarize(measurements.map((m) => m.requestsPerSecond))),
      formatSummary(summarize(measurements.map((m) => m.rssMB)), 1),
      formatSummary(summarize(measurements.map((m) => m.transactions / m.responses)), 3),
    ];
  });
  return [
    `${values.framework}, ${values.rounds} rounds, ${values.warmup} warm-up + ${values.requests} measured requests, ${CONNECTIONS} connections; medians (min–max)`,
    '',
    markdownTable(
      ['variant', 'CPU µs/req', 'added µs', 'of it system µs', 'req/s', 'RSS MB', 'tx per req'],
      rows,
    ),
  ].join('\n');
}
