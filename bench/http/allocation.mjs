// Heap allocated per request by the HTTP bench's apps, per configuration: the figure that drives GC
// and young-generation growth, and, unlike CPU time on a shared VM, the same from run to run.
//   node bench/http/allocation.mjs [--framework express|fastify] [--configurations none,faultline-errors,…]
//     [--route /error]
// BENCH_PACKAGES=<dir>/packages measures a saved build (as compare-builds.mjs does).
// Each configuration runs in a fresh app process (the bench's own app and instrument files), which
// also drives the load itself over raw keep-alive sockets, the route mix of the bench, so that it can
// read its heap: heap growth over 200-request batches with no GC in between, median of 20 batches.
// The load generator's own allocation is in every row, the no-SDK row included.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { markdownTable } from '../lib/markdown-table.mjs';
import { startBenchServers } from './bench-servers.mjs';
import { configurationById } from './configurations.mjs';
import { DRILL_DOWN_OPTIONS, routeEnvironment, startInProcessLoad } from './in-process-load.mjs';

const here = (file) => new URL(file, import.meta.url).pathname;

if (process.env.BENCH_ALLOCATION_WORKER) await measureInThisProcess();
else await main();

async function main() {
  const { values } = parseArgs({
    options: DRILL_DOWN_OPTIONS,
  });
  const servers = await startBenchServers();
  const rows = [];
  try {
    for (const id of values.configurations.split(',')) {
      const configuration = configurationById(id);
      const { flags, env } = servers.appProcess(configuration, values.framework, [
        '--expose-gc',
        '--max-semi-space-size=64',
      ]);
      env.BENCH_ALLOCATION_WORKER = '1';
      Object.assign(env, routeEnvironment(values.route));
      const bytes = await runWorker([...flags, here('./allocation.mjs')], env);
      rows.push({ id, bytes });
      console.error(`${values.framework} ${id}: ${(bytes / 1024).toFixed(1)} KB/req`);
    }
  } finally {
    await servers.stop();
  }
  const baseline = rows.find((row) => row.id === 'none')?.bytes;
  console.log(
    markdownTable(
      ['configuration', 'KB allocated per request', 'added to no SDK'],
      rows.map(({ id, bytes }) => [
        id,
        (bytes / 1024).toFixed(1),
        baseline === undefined
          ? '–'
          : `${bytes >= baseline ? '+' : ''}${((bytes - baseline) / 1024).toFixed(1)}`,
      ]),
    ),
  );
}

function runWorker(args, env) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text) => {
    output += text;
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const bytes = /allocated (\d+)/.exec(output)?.[1];
      if (code === 0 && bytes) resolve(Number(bytes));
      else reject(new Error(`allocation worker exited with ${code}: ${output}`));
    });
  });
}

async function measureInThisProcess() {
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
  console.log(`allocated ${Math.round(samples[samples.length >> 1])}`);
  process.exit(0);
}
