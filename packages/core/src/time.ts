/** Wall-clock time as the protocol wants it: Unix seconds with sub-millisecond precision. */

interface PerformanceLike {
  now(): number;
  timeOrigin?: number;
}

// Read in a pure-marked call, like the anchor below, so that bundles without spans leave the read out.
const performance = /* @__PURE__ */ (() => (globalThis as { performance?: PerformanceLike }).performance)();
// performance.now() is monotonic and precise; anchoring it once to Date.now() gives precise wall time
// without paying for a Date per span. Marked pure so that bundles without spans leave it out.
const origin: number = /* @__PURE__ */ (() =>
  performance?.timeOrigin ?? (performance ? Date.now() - performance.now() : 0))();

export function timestampInSeconds(): number {
  return performance ? (origin + performance.now()) / 1000 : Date.now() / 1000;
}

export function dateTimestampInSeconds(): number {
  return Date.now() / 1000;
}
