// The gateway (Express): the storefront's only entry point. Reserves stock, charges the card,
// and hands the confirmation to the notifications queue.
import { init, injectTraceHeaders, setUser, setupExpressErrorHandler, startSpan } from '@faultline/express';
import express from 'express';
import { announce, serviceOptions } from './service.mjs';

init(serviceOptions('gateway'));

const { INVENTORY_URL, PAYMENTS_URL, NOTIFICATIONS_URL } = process.env;
const app = express();
app.use(express.json());

async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

app.post('/api/checkout/:cartId', async (req, res, next) => {
  try {
    const { user, items, card } = req.body;
    setUser({ id: user.id, email: user.email });
    const reservation = await postJson(`${INVENTORY_URL}/reserve`, { cartId: req.params.cartId, items });
    if (reservation.status !== 200) return res.status(409).json({ error: 'out of stock' });
    const payment = await postJson(`${PAYMENTS_URL}/charge/${req.params.cartId}`, { items, card, user });
    if (payment.status === 402) return res.status(402).json({ error: 'card declined' });
    if (payment.status !== 200)
      throw new Error(`payments answered ${payment.status} for cart ${req.params.cartId}`);
    await startSpan({ name: 'publish order-confirmation', op: 'queue.publish' }, () =>
      postJson(`${NOTIFICATIONS_URL}/queue/order-confirmation`, {
        headers: injectTraceHeaders({}),
        body: { cartId: req.params.cartId, email: user.email },
      }),
    );
    res.json({ ok: true, charged: payment.body.amount });
  } catch (error) {
    next(error);
  }
});

setupExpressErrorHandler(app);
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () =>
  announce('gateway', server.address().port),
);
