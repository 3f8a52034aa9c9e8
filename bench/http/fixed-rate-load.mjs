// Latency at a fixed request rate, open loop: request k is due at start + k / rate whatever happened
// to the ones before it, as in wrk2. Not autocannon's `overallRate`: it lets each connection send its
// whole budget for the second back to back and then wait for the next one-second tick (500 req/s came
// as bursts of 500), counts latency in whole milliseconds, and its coordinated-omission correction
// takes 1 / (requests per second per connection) as a number of milliseconds, so every answer slower
// than 1 ms added one made-up sample per millisecond.
// A due request goes out on a free keep-alive connection, or waits for the first one to free up. Its
// latency is the server's time (send → last byte) plus the time it waited because every connection was
// busy (coordinated omission: a stall delays the requests that were due during it, and they count).
// The runner's own lateness (a timer fires up to ~1 ms late) is left out: it is not the server's.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { ROUTE_MIX } from './load.mjs';

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * p50/p99 in milliseconds of the 2xx answers (autocannon's choice, kept so the figure means what it
 * did: the 1% error route is a different request), over `seconds` at `rate` requests per second.
 */
export async function atFixedRate(url, { rate, connections, seconds }) {
  const { hostname, port } = new URL(url);
  const agents = Array.from(
    { length: connections },
    () => new http.Agent({ keepAlive: true, maxSockets: 1 }),
  );
  // Oldest-freed first: a request due while some connection was idle has waited for none.
  const free = agents.map((agent) => ({ agent, freeAt: 0 }));
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = [];
  const queue = [];
  let due = 0;
  let settled = 0;
  let responses = 0;
  let failures = 0;
  let timer;
  const start = performance.now() + 20;

  return new Promise((resolve) => {
    function pump() {
      timer = undefined;
      const now = performance.now();
      while (due < total && start + due * interval <= now) {
        queue.push({ dueAt: start + due * interval, path: ROUTE_MIX[due % ROUTE_MIX.length].path });
        due++;
      }
      while (queue.length > 0 && free.length > 0) send(queue.shift(), free.shift());
      if (due < total) timer = setTimeout(pump, Math.max(0, start + due * interval - performance.now()));
    }

    function send(request, connection) {
      const sentAt = performance.now();
      // Waiting counts from when the request was due, or from when its connection freed up if later.
      const waited = Math.max(0, connection.freeAt - request.dueAt);
      // A response that ended and then errored frees its connection once.
      let settledOnce = false;
      const settle = (at, failed) => {
        if (settledOnce) return;
        settledOnce = true;
        if (failed) failures++;
        release(connection, at);
      };
      const outgoing = http.request(
        { hostname, port, path: request.path, agent: connection.agent },
        (response) => {
          response.resume();
          response.on('end', () => {
            const endedAt = performance.now();
            responses++;
            if (response.statusCode >= 200 && response.statusCode < 300)
              latencies.push(endedAt - sentAt + waited);
            settle(endedAt, false);
          });
        },
      );
      // An app that stops answering fails its requests instead of hanging the bench.
      outgoing.setTimeout(REQUEST_TIMEOUT_MS, () => outgoing.destroy(new Error('timed out')));
      outgoing.on('error', () => settle(performance.now(), true));
      outgoing.end();
    }

    function release(connection, at) {
      connection.freeAt = at;
      free.push(connection);
      if (++settled === total) return finish();
      if (queue.length > 0) send(queue.shift(), free.shift());
    }

    function finish() {
      if (timer) clearTimeout(timer);
      for (const agent of agents) agent.destroy();
      latencies.sort((a, b) => a - b);
      resolve({ responses, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), failures });
    }

    timer = setTimeout(pump, start - performance.now());
  });
}

function percentile(sorted, fraction) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}
