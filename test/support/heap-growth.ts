/** How much the heap grew across a piece of work, measured after a full GC on both sides. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** A full, synchronous GC (`--expose-gc`'s `gc`, without the flag on the command line). */
export const collectGarbage = runInNewContext('gc') as () => void;

/** Bytes still reachable after `work` that were not before it: what the work kept alive. */
export async function heapGrowth(work: () => unknown): Promise<number> {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  await work();
  collectGarbage();
  return process.memoryUsage().heapUsed - before;
}
