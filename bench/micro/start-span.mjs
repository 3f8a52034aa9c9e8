// startSpan + end of a root span: sampled (the finished transaction reaches the transport, awaited),
// sampled while the transport reports transactions as rate-limited (a spent quota: no transaction is
// built), and unsampled (the decision and a non-recording span only).
import { runCases } from './measure.mjs';
import { nextEnvelope, rateLimited, startSdk } from './sdk-under-test.mjs';

const faultline = startSdk({ tracesSampler: ({ name }) => (name === 'sampled' ? 1 : 0) });

await runCases([
  {
    name: 'startSpan + end, sampled → transaction at transport',
    fn: () => {
      rateLimited.delete('transaction');
      const sent = nextEnvelope();
      faultline.startSpan({ name: 'sampled', op: 'function' }, () => {});
      return sent;
    },
  },
  {
    name: 'startSpan + end, sampled, transactions rate-limited',
    fn: () => {
      rateLimited.add('transaction');
      faultline.startSpan({ name: 'sampled', op: 'function' }, () => {});
    },
  },
  {
    name: 'startSpan + end, unsampled',
    fn: () => {
      faultline.startSpan({ name: 'unsampled', op: 'function' }, () => {});
    },
  },
]);
