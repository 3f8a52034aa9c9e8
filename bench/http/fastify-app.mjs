// The Fastify 5 app of the HTTP bench: text, JSON with a path parameter, one outgoing fetch to the
// local upstream, and a route that throws. BENCH_SDK names the SDK whose plugin/error handler is set
// up (its init ran in the `--import`ed instrument file). Prints `listening <port>` once ready.
import Fastify from 'fastify';
import { faultlinePackageUrl } from './faultline-packages.mjs';

const sdk = process.env.BENCH_SDK;
const upstreamUrl = process.env.BENCH_UPSTREAM_URL;

const app = Fastify({ logger: false });
if (sdk === 'faultline') {
  const { faultlineFastify } = await import(faultlinePackageUrl('fastify'));
  await app.register(faultlineFastify);
} else if (sdk === 'sentry') {
  const Sentry = await import('@sentry/node');
  Sentry.setupFastifyErrorHandler(app);
}

app.get('/text', async (_request, reply) => {
  reply.type('text/plain');
  return 'hello world';
});
app.get('/users/:id', async (request) => ({ id: request.params.id, name: 'Ada', roles: ['admin', 'dev'] }));
app.get('/upstream', async () => {
  const upstream = await fetch(upstreamUrl);
  return { upstream: await upstream.json() };
});
app.get('/error', async () => {
  throw new Error('bench: the error route failed');
});

await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening ${app.server.address().port}`);
