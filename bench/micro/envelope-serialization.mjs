// serializeEnvelope of envelopes the SDK really built: an error event, and a transaction with 10
// child spans (both captured once through the pipeline, then serialised repeatedly).
import { runCases } from './measure.mjs';
import { nextEnvelope, startSdk } from './sdk-under-test.mjs';

const faultline = startSdk({ tracesSampleRate: 1 });

const errorSent = nextEnvelope();
faultline.captureException(new Error('bench failure'));
const errorEnvelope = await errorSent;

const transactionSent = nextEnvelope();
faultline.startSpan({ name: 'GET /users/:id', op: 'http.server' }, () => {
  for (let i = 0; i < 10; i++) faultline.startSpan({ name: `db query ${i}`, op: 'db' }, () => {});
});
const transactionEnvelope = await transactionSent;

await runCases([
  { name: 'serializeEnvelope(error event)', fn: () => faultline.serializeEnvelope(errorEnvelope) },
  {
    name: 'serializeEnvelope(transaction, 10 spans)',
    fn: () => faultline.serializeEnvelope(transactionEnvelope),
  },
]);
