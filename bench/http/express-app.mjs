// The Express 5 app of the HTTP bench: text, JSON with a path parameter, one outgoing fetch to the
// local upstream, and a route that throws. BENCH_SDK names the SDK whose error handler is set up
// (its init ran in the `--import`ed instrument file). Prints `listening <port>` once ready.
import express from 'express';
import { faultlinePackageUrl } from './faultline-packages.mjs';

const sdk = process.env.BENCH_SDK;
const upstreamUrl = process.env.BENCH_UPSTREAM_URL;

const app = express();
app.get('/text', (_request, response) => {
  response.type('text/plain').send('hello world');
});
app.get('/users/:id', (request, response) => {
  response.json({ id: request.params.id, name: 'Ada', roles: ['admin', 'dev'] });
});
app.get('/upstream', async (_request, response) => {
  const upstream = await fetch(upstreamUrl);
  response.json({ upstream: await upstream.json() });
});
app.get('/error', () => {
  throw new Error('bench: the error route failed');
});

if (sdk === 'faultline') {
  const { setupExpressErrorHandler } = await import(faultlinePackageUrl('express'));
  setupExpressErrorHandler(app);
} else if (sdk === 'sentry') {
  const Sentry = await import('@sentry/node');
  Sentry.setupExpressErrorHandler(app);
}
// The app's own error handler, after the SDK's: answers 500 without logging (as most apps do).
app.use((_error, _request, response, _next) => {
  response.status(500).json({ error: 'internal' });
});

const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
