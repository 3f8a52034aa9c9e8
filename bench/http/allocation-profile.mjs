// Where an app process allocates, by function: V8's sampling heap profiler over a window of
// requests, objects that GC freed in the window included (so it counts allocation, not what is
// left), summed per function (self). Builtins without a JavaScript frame (JSON.stringify, string
// concatenation) count in the function that called them; `join`, `encodeInto` and the like appear
// under their own names.
import { Session } from 'node:inspector/promises';

/** Sampling interval: one sample per this many bytes allocated, on average. */
const SAMPLING_INTERVAL = 256;

/** Runs `send(requests)` under the profiler; resolves bytes per request by function. */
export async function allocationByFunction(send, requests) {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: SAMPLING_INTERVAL,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    await send(requests);
    const { profile } = await session.post('HeapProfiler.stopSampling');
    const bytes = {};
    const visit = (node) => {
      if (node.selfSize > 0) {
        const name = functionName(node.callFrame);
        bytes[name] = (bytes[name] ?? 0) + node.selfSize / requests;
      }
      for (const child of node.children) visit(child);
    };
    visit(profile.head);
    return bytes;
  } finally {
    session.disconnect();
  }
}

/** `name file:line`, the file shortened to its package (a pnpm store path to `name@version`). */
function functionName({ functionName, url, lineNumber }) {
  const file = url
    .replace(/^file:\/\/.*\/node_modules\/\.pnpm\/([^/]+)\/node_modules\/.*?([^/]+)$/, '$1 $2')
    .replace(/^file:\/\/.*\/packages\//, '')
    .replace(/^file:\/\/.*\/bench\//, 'bench/');
  return `${functionName || '(anonymous)'} ${file || '(native)'}${url ? `:${lineNumber + 1}` : ''}`;
}
