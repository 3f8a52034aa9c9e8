// Runs micro benchmark cases with tinybench (time per op) and measures bytes allocated per op:
// heap used after a batch minus after a full GC before it, with a young generation large enough
// that no collection runs during the batch (a batch that saw a GC is discarded and halved).
// Needs `node --expose-gc --max-semi-space-size=64 --min-semi-space-size=64`; each case prints
// one JSON line, read by run-micro.mjs.
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Bench } from 'tinybench';
import { median } from '../lib/statistics.mjs';

const BENCH_MS = Number(process.env.BENCH_MICRO_MS ?? 1000);
const collectionStarts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collectionStarts.push(entry.startTime);
}).observe({ entryTypes: ['gc'] });

/** cases: [{ name, fn }] where fn may return a promise. */
export async function runCases(cases) {
  for (const { name, fn } of cases) {
    const bench = new Bench({ time: BENCH_MS, warmupTime: Math.min(500, BENCH_MS / 2) });
    bench.add(name, fn);
    await bench.run();
    const { result } = bench.tasks[0];
    if (result.state !== 'completed') throw new Error(`${name}: ${result.state} ${result.error ?? ''}`);
    const bytesPerOp = await bytesAllocatedPerOp(fn);
    console.log(
      JSON.stringify({
        name,
        opsPerSecond: 1000 / result.period,
        nsPerOp: result.period * 1e6,
        rme: result.latency.rme,
        bytesPerOp,
      }),
    );
  }
}

async function bytesAllocatedPerOp(fn) {
  let batch = 2000;
  const samples = [];
  for (let attempt = 0; attempt < 30 && samples.length < 5; attempt++) {
    globalThis.gc();
    const start = performance.now();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < batch; i++) {
      const pending = fn();
      if (pending && typeof pending.then === 'function') await pending;
    }
    const after = process.memoryUsage().heapUsed;
    const end = performance.now();
    // GC entries arrive asynchronously: give the observer time to see any from the batch.
    await sleep(20);
    const collected = collectionStarts.some((startTime) => startTime >= start && startTime <= end);
    if (!collected) samples.push((after - before) / batch);
    else batch = Math.max(10, Math.floor(batch / 2));
  }
  return samples.length ? median(samples) : undefined;
}
