// The load the HTTP bench applies, through autocannon run in-process (the runner is pinned to the
// load core). Every connection cycles through ROUTE_MIX, 100 requests: 40 JSON with a path
// parameter, 35 text, 24 with one outgoing fetch to the upstream, 1 error (a 1% error rate: a
// service answering 10% 500s is having an incident, not a normal day).
import http from 'node:http';
import { createRequire } from 'node:module';

const autocannon = createRequire(import.meta.url)('autocannon');

const ROUTE_WEIGHTS = { json: 40, '/text': 35, '/upstream': 24, '/error': 1 };

/** Smooth weighted round-robin: the routes interleave evenly instead of arriving in blocks. */
function interleave(weights) {
  const total = Object.values(weights).reduce((sum, weight) => sum + weight, 0);
  const current = Object.fromEntries(Object.keys(weights).map((route) => [route, 0]));
  const cycle = [];
  for (let i = 0; i < total; i++) {
    for (const route of Object.keys(weights)) current[route] += weights[route];
    const pick = Object.keys(current).reduce((best, route) =>
      current[route] > current[best] ? route : best,
    );
    current[pick] -= total;
    cycle.push(pick === 'json' ? `/users/${cycle.length + 1}` : pick);
  }
  return cycle;
}

export const ROUTE_MIX = interleave(ROUTE_WEIGHTS).map((path) => ({ method: 'GET', path }));

const EXPECTED_STATUS = { '/error': 500 };

function run(options) {
  return autocannon({ requests: ROUTE_MIX, ...options });
}

function responses(result) {
  return result['2xx'] + result.non2xx;
}

/** Everything the server answers in `seconds` under `connections` concurrent keep-alive clients. */
export async function saturate(url, { connections, seconds }) {
  const result = await run({ url, connections, duration: seconds });
  return {
    responses: responses(result),
    requestsPerSecond: responses(result) / result.duration,
    failures: result.errors + result.timeouts,
  };
}

/**
 * Exactly `amount` requests of the mix. `seconds` runs to the last response: autocannon notices that
 * the amount is reached only on its next one-second tick, so a rate from its own duration would come
 * out in whole seconds of idle tail (20,000 requests took "5.1, 6.1 or 7.1 s").
 */
export async function sendRequests(url, { amount, connections }) {
  const startedAt = performance.now();
  let lastResponseAt = startedAt;
  const running = run({ url, connections, amount });
  running.on('response', () => {
    lastResponseAt = performance.now();
  });
  const result = await running;
  return {
    responses: responses(result),
    failures: result.errors + result.timeouts,
    seconds: (lastResponseAt - startedAt) / 1000,
  };
}

/** One GET on a fresh connection; resolves with its status, or 0 when the connection failed. */
export function statusOf(url) {
  return new Promise((resolve) => {
    http
      .get(url, { agent: false }, (response) => {
        response.resume().on('end', () => resolve(response.statusCode));
      })
      .on('error', () => resolve(0));
  });
}

const CHECKED_PATHS = ['/text', '/users/1', '/upstream', '/error'];

/** Checks each route answers as intended before anything is measured; resolves the requests made. */
export async function checkRoutes(baseUrl) {
  for (const path of CHECKED_PATHS) {
    const status = await statusOf(`${baseUrl}${path}`);
    const expected = EXPECTED_STATUS[path] ?? 200;
    if (status !== expected) throw new Error(`GET ${path} answered ${status}, expected ${expected}`);
  }
  return CHECKED_PATHS.length;
}
