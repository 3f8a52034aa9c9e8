/** Load for tests that count what requests leave behind: many requests, then what reached the ingest. */
import { expect } from 'vitest';
import type { TestIngest } from '../ingest';
import { heapGrowth } from './heap-growth';

export interface LoadOptions {
  base: string;
  /** Request paths in turn, each followed by the request's index so names, URLs and users vary. */
  routes: string[];
  count: number;
  /** Index of the first request: a later batch keeps making new strings. */
  first: number;
  ingest: TestIngest;
  flush: (timeout?: number) => Promise<boolean>;
  concurrency?: number;
}

/** Sends the requests, waits for the SDK to deliver, and returns what reached the ingest, emptying it. */
export async function serveAndCollect(
  options: LoadOptions,
): Promise<{ transactions: number; events: number }> {
  const { base, routes, count, first, ingest, flush, concurrency = 8 } = options;
  let sent = 0;
  async function connection(): Promise<void> {
    while (sent < count) {
      const index = first + sent++;
      const route = routes[index % routes.length]!;
      const response = await fetch(`${base}${route}${index}`, { headers: { 'x-user': `user-${index}` } });
      await response.arrayBuffer();
    }
  }
  await Promise.all(Array.from({ length: concurrency }, connection));
  expect(await flush(10_000)).toBe(true);
  const delivered = { transactions: ingest.transactions().length, events: ingest.events().length };
  ingest.reset();
  return delivered;
}

/**
 * What `measured` requests leave on the heap after a full GC, once `warmup` requests have filled JIT
 * code and the SDK's bounded caches; with what each of two measured windows delivered. `kept` is the
 * smaller of the two windows' growth: what requests keep shows in both, while V8's one-off moves (the
 * metadata of functions it compiles late, 100–250 KB in a window of 3,000 requests after 1,000 of
 * warm-up on Node 20 and 22) land in one. A retention of ~150 B or more per request fails reliably;
 * 100 B is at the edge of what a window resolves.
 */
export async function retainedByRequests(
  load: Omit<LoadOptions, 'count' | 'first'>,
  warmup: number,
  measured: number,
): Promise<{ kept: number; delivered: Array<{ transactions: number; events: number }> }> {
  await serveAndCollect({ ...load, count: warmup, first: 0 });
  const delivered: Array<{ transactions: number; events: number }> = [];
  const growth: number[] = [];
  for (const first of [warmup, warmup + measured]) {
    growth.push(
      await heapGrowth(async () => {
        delivered.push(await serveAndCollect({ ...load, count: measured, first }));
      }),
    );
  }
  return { kept: Math.min(...growth), delivered };
}
