// Heap allocated per request by the HTTP bench's apps, per configuration: the figure that drives GC
// and young-generation growth, and, unlike CPU time on a shared VM, the same from run to run.
//   node bench/http/allocation.mjs [--framework express|fastify] [--configurations none,faultline-errors,…]
// BENCH_PACKAGES=<dir>/packages measures a saved build (as compare-builds.mjs does).
// Each configuration runs in a fresh app process (the bench's own app and instrument files), which
// also drives the load itself over raw keep-alive sockets, the route mix of the bench, so that it can
// read its heap: heap growth over 200-request batches with no GC in between, median of 20 batches.
// The load generator's own allocation is in every row, the no-SDK row included.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { markdownTable } from '../lib/markdown-table.mjs';
import { CONFIGURATIONS } from './configurations.mjs';
import { ROUTE_MIX } from './load.mjs';
import { startPinned, stopProcess } from './pinned-process.mjs';

const here = (file) => new URL(file, import.meta.url).pathname;

if (process.env.BENCH_ALLOCATION_WORKER) await measureInThisProcess();
else await main();

async function main() {
  const { values } = parseArgs({
    options: {
      framework: { type: 'string', default: 'express' },
      configurations: { type: 'string', default: 'none,faultline-errors,faultline-0.1,faultline-1.0' },
    },
  });
  // Ingest and upstream where the HTTP bench puts them; the app process measures itself, unpinned.
  const ingest = await startPinned(1, [here('./ingest-process.mjs')], process.env);
  const upstream = await startPinned(1, [here('./upstream-process.mjs')], process.env);
  const rows = [];
  try {
    for (const id of values.configurations.split(',')) {
      const configuration = CONFIGURATIONS.find((candidate) => candidate.id === id);
      if (!configuration) throw new Error(`unknown configuration ${id}`);
      const flags = ['--expose-gc', '--max-semi-space-size=64'];
      if (configuration.instrument) flags.push('--import', configuration.instrument);
      const env = {
        ...process.env,
        BENCH_ALLOCATION_WORKER: '1',
        BENCH_SDK: configuration.sdk,
        BENCH_FRAMEWORK: values.framework,
        BENCH_DSN: `http://0123456789abcdef0123456789abcdef@127.0.0.1:${ingest.port}/1`,
        BENCH_UPSTREAM_URL: `http://127.0.0.1:${upstream.port}/stock`,
      };
      if (configuration.tracesSampleRate !== undefined)
        env.BENCH_TRACES_SAMPLE_RATE = String(configuration.tracesSampleRate);
      const bytes = await runWorker([...flags, here('./allocation.mjs')], env);
      rows.push({ id, bytes });
      console.error(`${values.framework} ${id}: ${(bytes / 1024).toFixed(1)} KB/req`);
    }
  } finally {
    await Promise.all([stopProcess(ingest.child), stopProcess(upstream.child)]);
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
  const port = await listenApp(
    process.env.BENCH_FRAMEWORK === 'fastify' ? './fastify-app.mjs' : './express-app.mjs',
  );
  const connections = Array.from({ length: 8 }, () => connection(port));
  let next = 0;
  const run = (count) => {
    const end = next + count;
    return Promise.all(
      connections.map(async (send) => {
        while (next < end) await send(ROUTE_MIX[next++ % ROUTE_MIX.length].path);
      }),
    );
  };
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

/** Imports the bench app in this process and returns the port it printed. */
async function listenApp(file) {
  const log = console.log;
  const listening = new Promise((resolve) => {
    console.log = (text, ...rest) => {
      const port = /^listening (\d+)$/.exec(String(text))?.[1];
      if (port) resolve(Number(port));
      else log(text, ...rest);
    };
  });
  await import(here(file));
  const port = await listening;
  console.log = log;
  return port;
}

/** A keep-alive client on a raw socket: the SDK's HTTP client instrumentation never sees it. */
function connection(port) {
  const socket = net.connect(port, '127.0.0.1');
  let buffer = Buffer.alloc(0);
  let waiting;
  socket.on('data', (chunk) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    const headEnd = buffer.indexOf('\r\n\r\n');
    if (headEnd === -1) return;
    const length = /content-length: (\d+)/i.exec(buffer.subarray(0, headEnd).toString('latin1'));
    const total = headEnd + 4 + Number(length?.[1] ?? 0);
    if (buffer.length < total) return;
    buffer = buffer.subarray(total);
    const done = waiting;
    waiting = undefined;
    done();
  });
  return (path) =>
    new Promise((resolve) => {
      waiting = resolve;
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    });
}
