/**
 * Cumulative Layout Shift as the web-vitals definition has it: shifts (without recent input) are
 * grouped into session windows, each closed by a gap over 1 s or a length over 5 s; CLS is the
 * largest window's sum.
 */
const MAX_GAP_MS = 1000;
const MAX_WINDOW_MS = 5000;

export interface ClsState {
  max: number;
  windowValue: number;
  windowStart: number;
  lastShift: number;
}

export function newClsState(): ClsState {
  return { max: 0, windowValue: 0, windowStart: -Infinity, lastShift: -Infinity };
}

/** Adds one layout shift (its start time in ms and its score) to the state. */
export function addLayoutShift(state: ClsState, startTime: number, value: number): void {
  if (startTime - state.lastShift > MAX_GAP_MS || startTime - state.windowStart > MAX_WINDOW_MS) {
    state.windowStart = startTime;
    state.windowValue = 0;
  }
  state.windowValue += value;
  state.lastShift = startTime;
  state.max = Math.max(state.max, state.windowValue);
}
