// The HTTP bench's app and load in one process, for the drill-downs that measure the app from inside
// (allocation.mjs, instructions.mjs): the app file is imported here, and the route mix (or, with
// `--route`, one route of it) is sent over raw keep-alive sockets that the SDK's HTTP client
// instrumentation never sees. The load's own cost is in every configuration's figure, the no-SDK one
// included.
import net from 'node:net';
import { ROUTE_MIX } from './load.mjs';

/** The options of every drill-down: which bench app, and which of its configurations. */
export const DRILL_DOWN_OPTIONS = {
  framework: { type: 'string', default: 'express' },
  configurations: { type: 'string', default: 'none,faultline-errors,faultline-0.1,faultline-1.0' },
  /** One path for every request instead of the mix: `--route /error` gives the cost of one error event. */
  route: { type: 'string' },
  /**
   * Every request arrives with `sentry-trace` and `baggage`, as from an upstream service whose SDK
   * left the decision to this one: what a downstream service pays to continue a trace.
   */
  'incoming-trace': { type: 'boolean', default: false },
};

/** The environment that hands a drill-down's `--route` and `--incoming-trace` to its app process. */
export function loadEnvironment({ route, 'incoming-trace': incomingTrace }) {
  const env = incomingTrace ? { BENCH_INCOMING_TRACE: '1' } : {};
  if (route === undefined) return env;
  if (!route.startsWith('/')) throw new Error(`--route ${route}: give a path of the bench app, e.g. /error`);
  return { ...env, BENCH_ROUTE: route };
}

/**
 * Starts the framework's bench app; resolves `send(count)`, which sends that many more requests over
 * `connections` keep-alive connections: the mix, or only BENCH_ROUTE when set.
 */
export async function startInProcessLoad(framework, connectionCount = 8) {
  const port = await listenApp(framework === 'fastify' ? './fastify-app.mjs' : './express-app.mjs');
  const connections = Array.from({ length: connectionCount }, () => connection(port));
  const route = process.env.BENCH_ROUTE;
  const paths = route ? [route] : ROUTE_MIX.map(({ path }) => path);
  let next = 0;
  return (count) => {
    const end = next + count;
    return Promise.all(
      connections.map(async (request) => {
        while (next < end) await request(paths[next++ % paths.length]);
      }),
    );
  };
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
  await import(new URL(file, import.meta.url).pathname);
  const port = await listening;
  console.log = log;
  return port;
}

/** A keep-alive client on a raw socket, one request at a time. */
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
  const traceHeaders = process.env.BENCH_INCOMING_TRACE ? incomingTraceHeaders : () => '';
  return (path) =>
    new Promise((resolve) => {
      waiting = resolve;
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${traceHeaders()}\r\n`);
    });
}

let tracesSent = 0;

/**
 * A new trace per request, sampling deferred (no flag) with a `sample_rand` that steps through
 * [0, 1), so that the app's own rate decides and samples exactly that share; the Sentry entries an
 * SDK writes plus one of another vendor.
 */
function incomingTraceHeaders() {
  tracesSent += 1;
  const traceId = tracesSent.toString(16).padStart(32, 'a');
  const sampleRand = ((tracesSent * 7919) % 1000) / 1000;
  return (
    `sentry-trace: ${traceId}-${traceId.slice(16)}\r\n` +
    `baggage: sentry-trace_id=${traceId},sentry-public_key=0123456789abcdef0123456789abcdef,` +
    `sentry-release=shop%401.4.0,sentry-environment=production,sentry-sample_rand=${sampleRand},` +
    `other-vendor=value\r\n`
  );
}
