// A payments service: `POST /payments/:orderId` charges through a downstream service
// (DOWNSTREAM_URL, e.g. notifications) and `GET /payments/:paymentId/fail` always fails. Run with
// PORT (default 3000), FAULTLINE_DSN and DOWNSTREAM_URL set; prints `listening on <url>` when ready.
import { close, faultlineFastify, init } from '@faultline/fastify';
import Fastify from 'fastify';

init({
  dsn: process.env.FAULTLINE_DSN,
  release: 'payments@1.0.0',
  tracesSampleRate: 1,
  sendDefaultPii: true,
});

const app = Fastify();
await app.register(faultlineFastify);

app.addHook('onRequest', async (request) => {
  const userId = request.headers['x-user-id'];
  if (userId) request.user = { id: String(userId) };
});

app.post('/payments/:orderId', async function chargeOrder(request) {
  const downstream = process.env.DOWNSTREAM_URL;
  if (!downstream) throw new Error('DOWNSTREAM_URL is not set');
  const response = await fetch(downstream, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orderId: request.params.orderId, event: 'payment.captured' }),
  });
  if (!response.ok) throw new Error(`downstream answered ${response.status}`);
  return { orderId: request.params.orderId, status: 'captured' };
});

app.get('/payments/:paymentId/fail', async function refundPayment(request) {
  throw new Error(`card processor rejected payment ${request.params.paymentId}`);
});

const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`listening on ${address}`);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await app.close();
    await close(2000);
    process.exit(0);
  });
}
