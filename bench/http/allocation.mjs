// Heap allocated per request by the HTTP bench's apps, per configuration, and how much of it reaches
// the old generation: the figures that drive GC, and, unlike CPU time on a shared VM, about the same
// from run to run.
//   node bench/http/allocation.mjs [--framework express|fastify] [--configurations none,faultline-errors,…]
//     [--route /error] [--top N]
// BENCH_PACKAGES=<dir>/packages measures a saved build (as compare-builds.mjs does).
// Each configuration runs in two fresh app processes (the bench's own app and instrument files),
// which also drive the load themselves over raw keep-alive sockets, the route mix of the bench, so
// that they can read their heap:
// - allocated: heap growth over 200-request batches with no GC in between, median of 20 batches;
// - promoted: what scavenges copied into the old generation over 20,000 requests, with V8's default
//   young generation (v8.GCProfiler: old space before and after each scavenge). Objects that outlive
//   two scavenges get there, and only a full GC frees them: a request's objects should not.
// The load generator's own allocation is in every row, the no-SDK row included.
// `--top N` adds a third process per configuration, a sampling heap profile of 4,000 requests
// (allocation-profile.mjs), and lists the N functions that allocate the most added over no SDK.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { markdownTable } from '../lib/markdown-table.mjs';
import { mostAdded } from '../lib/most-added.mjs';
import { allocationByFunction } from './allocation-profile.mjs';
import { startBenchServers } from './bench-servers.mjs';
import { configurationById } from './configurations.mjs';
import { DRILL_DOWN_OPTIONS, loadEnvironment, startInProcessLoad } from './in-process-load.mjs';

const here = (file) => new URL(file, import.meta.url).pathname;

if (process.env.BENCH_ALLOCATION_WORKER === 'allocated') await measureAllocated();
else if (process.env.BENCH_ALLOCATION_WORKER === 'promoted') await measurePromoted();
else if (process.env.BENCH_ALLOCATION_WORKER === 'profile') await measureProfile();
else await main();

async function main() {
  const { values } = parseArgs({
    options: { ...DRILL_DOWN_OPTIONS, top: { type: 'string', default: '0' } },
  });
  const top = Number(values.top);
  const servers = await startBenchServers();
  const rows = [];
  try {
    for (const id of values.configurations.split(',')) {
      const configuration = configurationById(id);
      const worker = (kind, nodeFlags) => {
        const { flags, env } = servers.appProcess(configuration, values.framework, nodeFlags);
        env.BENCH_ALLOCATION_WORKER = kind;
        Object.assign(env, loadEnvironment(values));
        return runWorker([...flags, here('./allocation.mjs')], env);
      };
      const { bytes } = await worker('allocated', ['--expose-gc', '--max-semi-space-size=64']);
      const { promoted, scavenges } = await worker('promoted', []);
      const functions = top > 0 ? (await worker('profile', [])).functions : undefined;
      rows.push({ id, bytes, promoted, scavenges, functions });
      console.error(
        `${values.framework} ${id}: ${(bytes / 1024).toFixed(1)} KB/req allocated, ${promoted} B/req promoted`,
      );
    }
  } finally {
    await servers.stop();
  }
  const baseline = rows.find((row) => row.id === 'none');
  const added = (value, base, format) =>
    base === undefined ? '–' : `${value >= base ? '+' : ''}${format(value - base)}`;
  console.log(
    markdownTable(
      [
        'configuration',
        'KB allocated per request',
        'added to no SDK',
        'B promoted to the old generation per request',
        'added to no SDK',
        'scavenges in 20,000 requests',
      ],
      rows.map(({ id, bytes, promoted, scavenges }) => [
        id,
        (bytes / 1024).toFixed(1),
        added(bytes, baseline?.bytes, (kb) => (kb / 1024).toFixed(1)),
        String(promoted),
        added(promoted, baseline?.promoted, String),
        String(scavenges),
      ]),
    ),
  );
  if (top > 0) printAddedFunctions(rows, baseline, top);
}

/** Per configuration, the functions whose allocation grew the most over the no-SDK profile. */
function printAddedFunctions(rows, baseline, top) {
  for (const { id, functions } of rows) {
    if (id === baseline?.id) continue;
    const added = mostAdded(
      new Map(Object.entries(functions)),
      new Map(Object.entries(baseline?.functions ?? {})),
      top,
    );
    console.log(`\n### ${id}: functions allocating the most added per request over no SDK (sampled)\n`);
    console.log(
      markdownTable(
        ['B added per request', 'function (self)'],
        added.map(([name, bytes]) => [Math.round(bytes), name]),
      ),
    );
  }
}

function runWorker(args, env) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text) => {
    output += text;
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const result = /^result (.+)$/m.exec(output)?.[1];
      if (code === 0 && result) resolve(JSON.parse(result));
      else reject(new Error(`allocation worker exited with ${code}: ${output}`));
    });
  });
}

async function measureAllocated() {
  const run = await startInProcessLoad(process.env.BENCH_FRAMEWORK);
  await run(5000);
  const { PerformanceObserver } = await import('node:perf_hooks');
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  const samples = [];
  for (let batch = 0; batch < 20; batch++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const before = collections;
    const heapBefore = process.memoryUsage().heapUsed;
    await run(200);
    const grown = process.memoryUsage().heapUsed - heapBefore;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (collections === before) samples.push(grown / 200);
  }
  observer.disconnect();
  if (samples.length === 0) throw new Error('every batch saw a GC: raise --max-semi-space-size');
  samples.sort((a, b) => a - b);
  console.log(`result ${JSON.stringify({ bytes: Math.round(samples[samples.length >> 1]) })}`);
  process.exit(0);
}

async function measureProfile() {
  const run = await startInProcessLoad(process.env.BENCH_FRAMEWORK);
  await run(5000);
  const functions = await allocationByFunction(run, 4000);
  console.log(`result ${JSON.stringify({ functions })}`);
  process.exit(0);
}

async function measurePromoted() {
  const run = await startInProcessLoad(process.env.BENCH_FRAMEWORK);
  await run(10_000);
  const { GCProfiler } = await import('node:v8');
  const requests = 20_000;
  const profiler = new GCProfiler();
  profiler.start();
  await run(requests);
  const scavenges = profiler.stop().statistics.filter(({ gcType }) => gcType === 'Scavenge');
  const oldSpace = (spaces) => spaces.find(({ spaceName }) => spaceName === 'old_space').spaceUsedSize;
  const promoted = scavenges.reduce(
    (bytes, { beforeGC, afterGC }) =>
      bytes + oldSpace(afterGC.heapSpaceStatistics) - oldSpace(beforeGC.heapSpaceStatistics),
    0,
  );
  console.log(
    `result ${JSON.stringify({ promoted: Math.round(promoted / requests), scavenges: scavenges.length })}`,
  );
  process.exit(0);
}
