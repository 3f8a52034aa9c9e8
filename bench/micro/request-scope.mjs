// What an instrumented request costs the app before any error or span: its own isolation scope, and
// the per-request data handlers typically set on it (tags, user, a context).
import { runCases } from './measure.mjs';
import { startSdk } from './sdk-under-test.mjs';

const faultline = startSdk({});
faultline.setTag('service', 'checkout');

await runCases([
  {
    name: 'withIsolationScope, no data',
    fn: () => faultline.withIsolationScope(() => {}),
  },
  {
    name: 'withIsolationScope + 2 tags, user, context',
    fn: () =>
      faultline.withIsolationScope((scope) => {
        scope.setTag('route', '/orders/:id');
        scope.setTag('region', 'eu-west');
        scope.setUser({ id: '42' });
        scope.setContext('order', { id: 'A-1001', items: 3 });
      }),
  },
]);
