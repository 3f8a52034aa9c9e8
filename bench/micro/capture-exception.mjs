// captureException of a fresh Error (creating it included), from the call to the envelope reaching
// the transport: stack parsing, scopes, integrations' processors, envelope building.
import { runCases } from './measure.mjs';
import { nextEnvelope, startSdk } from './sdk-under-test.mjs';

const faultline = startSdk({});
let count = 0;

await runCases([
  {
    name: 'captureException(new Error) → envelope at transport',
    fn: () => {
      const sent = nextEnvelope();
      faultline.captureException(new Error(`bench failure ${count++}`));
      return sent;
    },
  },
]);
