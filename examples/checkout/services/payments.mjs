// Payments (Fastify). Built-in faults: a pricing bug for carts with more than one gift card (500),
// and declined cards (402, a business outcome, not an error).
import { faultlineFastify, init, startSpan } from '@faultline/fastify';
import Fastify from 'fastify';
import { announce, serviceOptions, sleep } from './service.mjs';

init(serviceOptions('payments'));

const PRICES = { book: 18, lamp: 45, chair: 120, 'gift-card': 50 };
const PROMOTIONS = { book: { amount: 2 } };

function price(items) {
  let total = 0;
  for (const item of items) {
    total += PRICES[item.sku] * item.quantity;
    // The bug: gift cards in bulk look up a promotion that does not exist.
    if (item.quantity > 1) total -= PROMOTIONS[item.sku].amount * item.quantity;
  }
  return total;
}

const app = Fastify();
await app.register(faultlineFastify);
app.post('/charge/:cartId', async (request, reply) => {
  const { items, card } = request.body;
  const amount = price(items);
  await startSpan({ name: 'SELECT balance FROM cards WHERE number = ?', op: 'db.query' }, () =>
    sleep(4 + Math.random() * 8),
  );
  if (card.endsWith('0002')) {
    reply.code(402);
    return { declined: true };
  }
  await startSpan({ name: 'POST https://acquirer.example/authorize', op: 'http.client' }, () =>
    sleep(20 + Math.random() * 40),
  );
  return { amount };
});

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
announce('payments', app.server.address().port);
