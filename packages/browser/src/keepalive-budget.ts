/**
 * Browsers cap the bodies of all in-flight `keepalive` requests of a page at 64 KiB together (and
 * reject the request outright above it), so keepalive is used only while the requests already
 * flying leave room, with a margin, and only for a few at a time.
 */
export const KEEPALIVE_MAX_BYTES = 60_000;
export const KEEPALIVE_MAX_REQUESTS = 15;

export interface KeepaliveBudget {
  /** True (and the bytes are counted) when a request of `size` bytes may use keepalive now. */
  reserve(size: number): boolean;
  /** Gives back what `reserve` counted, once the request settled. */
  release(size: number): void;
}

export function makeKeepaliveBudget(): KeepaliveBudget {
  let bytes = 0;
  let requests = 0;
  return {
    reserve(size) {
      if (bytes + size > KEEPALIVE_MAX_BYTES || requests >= KEEPALIVE_MAX_REQUESTS) return false;
      bytes += size;
      requests++;
      return true;
    },
    release(size) {
      bytes -= size;
      requests--;
    },
  };
}
