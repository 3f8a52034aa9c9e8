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
 * code and the SDK's bounded caches; with what they delivered.
 */
export async function retainedByRequests(
  load: Omit<LoadOptions, 'count' | 'first'>,
  warmup: number,
  measured: number,
): Promise<{ kept: number; delivered: { transactions: number; events: number } }> {
  await serveAndCollect({ ...load, count: warmup, first: 0 });
  let delivered = { transactions: 0, events: 0 };
  const kept = await heapGrowth(async () => {
    delivered = await serveAndCollect({ ...load, count: measured, first: warmup });
  });
  return { kept, delivered };
}
