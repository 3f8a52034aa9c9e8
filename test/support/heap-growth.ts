/** How much the heap grew across a piece of work, measured after a full GC on both sides. */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
// Bytecode V8 flushes from functions idle for a few GCs leaves with its metadata, hundreds of KB
// at random points: a window's growth would read negative.
setFlagsFromString('--no-flush-bytecode');
/** A full, synchronous GC (`--expose-gc`'s `gc`, without the flag on the command line). */
export const collectGarbage = runInNewContext('gc') as () => void;

/**
 * V8's spaces for compiled code and bytecode: what JIT tier-up adds and bytecode flushing takes away
 * moves them by hundreds of KB between two GCs (Node 22: +600 KB of code, −550 KB of bytecode in one
 * window of 3,000 requests), none of it data the work kept.
 */
const CODE_SPACES = new Set([
  'code_space',
  'code_large_object_space',
  'trusted_space',
  'trusted_large_object_space',
]);

function dataBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (!CODE_SPACES.has(space.space_name)) bytes += space.space_used_size;
  }
  return bytes;
}

/** Bytes of data still reachable after `work` that were not before it: what the work kept alive. */
export async function heapGrowth(work: () => unknown): Promise<number> {
  collectGarbage();
  const before = dataBytes();
  await work();
  collectGarbage();
  return dataBytes() - before;
}
