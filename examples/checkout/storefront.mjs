// The storefront: plays the shop's frontend, sending checkouts to the gateway. Each checkout is a
// root span here, so its trace starts in the "browser" and crosses every service.
// Usage: GATEWAY_URL=... FAULTLINE_DSN=... node storefront.mjs [count]
import { close, init, startNewTrace, startSpan, withIsolationScope } from '@faultline/node';
import { serviceOptions } from './services/service.mjs';

init(serviceOptions('storefront'));

const CARTS = [
  {
    weight: 70,
    items: [
      { sku: 'book', quantity: 2 },
      { sku: 'lamp', quantity: 1 },
    ],
    card: '4242424242424242',
  },
  { weight: 15, items: [{ sku: 'chair', quantity: 1 }], card: '4000000000000002' },
  { weight: 15, items: [{ sku: 'gift-card', quantity: 3 }], card: '4242424242424242' },
];
const USERS = ['ada', 'grace', 'linus', 'margaret', 'ken', 'barbara'];

function pickCart(random) {
  let roll = random * 100;
  for (const cart of CARTS) {
    roll -= cart.weight;
    if (roll < 0) return cart;
  }
  return CARTS[0];
}

/** Runs `count` checkouts, a few at a time; calls `onProgress(done, count, status)` after each. */
export async function runCheckouts(gatewayUrl, count, onProgress = () => {}) {
  const results = [];
  let next = 0;
  async function worker() {
    while (next < count) {
      const index = next++;
      const cart = index === 0 ? CARTS[2] : pickCart(Math.random());
      const user = USERS[index % USERS.length];
      // Each checkout is one shopper's click: its own scope and its own trace.
      const status = await withIsolationScope(() =>
        startNewTrace(() =>
          startSpan(
            { name: 'checkout', op: 'ui.action.click', source: 'component', forceTransaction: true },
            async () => {
              const response = await fetch(`${gatewayUrl}/api/checkout/cart-${index}`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                  user: { id: user, email: `${user}@example.com` },
                  items: cart.items,
                  card: cart.card,
                }),
              });
              await response.text();
              return response.status;
            },
          ),
        ),
      );
      results.push({ cart: `cart-${index}`, status });
      onProgress(results.length, count, status);
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 20);
  const results = await runCheckouts(process.env.GATEWAY_URL, count, (done, total, status) =>
    process.stdout.write(`\rcheckout ${done}/${total} (last: ${status})   `),
  );
  process.stdout.write('\n');
  const byStatus = {};
  for (const { status } of results) byStatus[status] = (byStatus[status] ?? 0) + 1;
  console.log(JSON.stringify(byStatus));
  await close(5000);
}
