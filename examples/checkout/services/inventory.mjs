// Inventory (Fastify): reserves stock.
import { faultlineFastify, init, startSpan } from '@faultline/fastify';
import Fastify from 'fastify';
import { announce, serviceOptions, sleep } from './service.mjs';

init(serviceOptions('inventory'));

const app = Fastify();
await app.register(faultlineFastify);
app.post('/reserve', async (request) => {
  const { items } = request.body;
  await startSpan({ name: 'UPDATE stock SET reserved = reserved + ? WHERE sku = ?', op: 'db.query' }, () =>
    sleep(3 + items.length * 2),
  );
  return { reserved: items.length };
});

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
announce('inventory', app.server.address().port);
