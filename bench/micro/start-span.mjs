// startSpan + end of a root span: sampled (the finished transaction reaches the transport, awaited)
// and unsampled (the decision and a non-recording span only).
import { runCases } from './measure.mjs';
import { nextEnvelope, startSdk } from './sdk-under-test.mjs';

const faultline = startSdk({ tracesSampler: ({ name }) => (name === 'sampled' ? 1 : 0) });

await runCases([
  {
    name: 'startSpan + end, sampled → transaction at transport',
    fn: () => {
      const sent = nextEnvelope();
      faultline.startSpan({ name: 'sampled', op: 'function' }, () => {});
      return sent;
    },
  },
  {
    name: 'startSpan + end, unsampled',
    fn: () => {
      faultline.startSpan({ name: 'unsampled', op: 'function' }, () => {});
    },
  },
]);
