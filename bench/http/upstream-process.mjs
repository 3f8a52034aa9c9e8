// The local upstream the apps' fetch route calls, run as its own process: answers every request
// with a small JSON body. Prints `listening <port>` once ready.
import http from 'node:http';

const body = JSON.stringify({ sku: 'A-1', stock: 12, warehouse: 'local' });
const server = http.createServer((request, response) => {
  request.resume();
  response.setHeader('content-type', 'application/json');
  response.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
