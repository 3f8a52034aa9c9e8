// One request through @faultline/node's HTTP server instrumentation as node:http hands it over: a
// real IncomingMessage and ServerResponse, the `request` event through the SDK's wrapper, a handler
// that asks for trace headers on one request in four (as the HTTP bench's upstream route does), then
// the response's `close`. The first case emits the same on a server kept out of the instrumentation,
// so the others less it are the SDK's share. Garbage collection runs inside the timed window (the
// young generation fills every ~15,000 requests), so state whose cost is paid there, such as WeakMap
// entries keyed by each request, shows up in the time per op.

import dc from 'node:diagnostics_channel';
import http from 'node:http';
import { Socket } from 'node:net';
import { runCases } from './measure.mjs';
import { startSdk } from './sdk-under-test.mjs';

// startSdk returns the same module on every call; a later call re-initialises the client.
const faultline = startSdk({});
let handled = 0;
const handler = () => {
  if (++handled % 4 === 0) faultline.getTraceData();
};
const socket = new Socket();
const untraced = http.createServer(handler);
faultline.excludeServerFromInstrumentation(untraced);
const instrumented = http.createServer(handler);
for (const server of [untraced, instrumented]) {
  dc.channel('http.server.request.start').publish({ server, socket });
}

let sequence = 0;
function request(server) {
  const incoming = new http.IncomingMessage(socket);
  incoming.method = 'GET';
  incoming.url = `/users/${sequence++ % 100}?expand=orders`;
  incoming.headers = { host: '127.0.0.1:3000', 'user-agent': 'bench', accept: '*/*' };
  incoming.httpVersion = '1.1';
  const response = new http.ServerResponse(incoming);
  server.emit('request', incoming, response);
  response.emit('close');
}

await runCases([{ name: 'server request, not instrumented', fn: () => request(untraced) }]);
await runCases([{ name: 'server request, errors-only', fn: () => request(instrumented) }]);
startSdk({ tracesSampleRate: 0 });
await runCases([{ name: 'server request, tracing on, unsampled', fn: () => request(instrumented) }]);
