/**
 * A root span that ends by itself: once none of its children has been open for `idleTimeout` ms,
 * or at the latest after `finalTimeout` ms. While it runs it is the active span of the page, so
 * requests and spans started meanwhile become its children. It ends at the end of its last child,
 * not at the end of the idle wait.
 */
import {
  type Client,
  getCurrentScope,
  getRootSpan,
  RecordingSpan,
  type Span,
  type StartSpanOptions,
  setActiveSpanSlot,
  startInactiveSpan,
} from '@faultline/core';

export interface IdleSpanOptions {
  idleTimeout: number;
  finalTimeout: number;
  /** Runs once, right before the span ends: the place to add children from recorded timings. */
  beforeEnd?: (span: Span) => void;
}

/** Ends the idle span now (a new navigation started), if it has not ended yet. */
export type EndIdleSpan = () => void;

export function startIdleSpan(
  client: Client,
  startOptions: StartSpanOptions,
  options: IdleSpanOptions,
): EndIdleSpan {
  const span = startInactiveSpan({ ...startOptions, parentSpan: null });
  const scope = getCurrentScope();
  setActiveSpanSlot(scope, span);
  const open = new Set<Span>();
  let ended = false;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const stopStart = client.on('spanStart', (child) => {
    if (child === span || getRootSpan(child) !== span) return;
    open.add(child);
    clearTimeout(idleTimer);
  });
  const stopEnd = client.on('spanEnd', (child) => {
    if (!open.delete(child) || open.size > 0) return;
    restartIdleTimer();
  });
  const finalTimer = setTimeout(end, options.finalTimeout);
  restartIdleTimer();

  function restartIdleTimer(): void {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(end, options.idleTimeout);
  }

  function end(): void {
    if (ended) return;
    ended = true;
    clearTimeout(idleTimer);
    clearTimeout(finalTimer);
    stopStart();
    stopEnd();
    if (scope.getScopeData().span === span) setActiveSpanSlot(scope, undefined);
    try {
      options.beforeEnd?.(span);
    } catch {
      // Timings are extras: the transaction goes out without them.
    }
    span.end(lastChildEnd(span));
  }

  return end;
}

/** The end of the latest finished child; undefined (now) when there is none or some are still open. */
function lastChildEnd(span: Span): number | undefined {
  if (!(span instanceof RecordingSpan) || span.segment.open.size > 0) return undefined;
  let latest = 0;
  for (const child of span.segment.finished) latest = Math.max(latest, child.timestamp ?? 0);
  return latest || undefined;
}
