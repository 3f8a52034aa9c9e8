/** Load for tests that count what requests leave behind: many requests, then what reached the ingest. */
import { expect } from 'vitest';
import type { TestIngest } from '../ingest';

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
