/**
 * Starting spans: `startSpan`, `startSpanManual`, `startInactiveSpan` and the helpers around the
 * active span. A root span samples (see sampling.ts) and, when recorded, ends as a transaction.
 */
import { type Client, recordTransactionDrop } from './client';
import { debug } from './debug-logger';
import { getClient, getCurrentScope, getIsolationScope, withScope } from './hub';
import { isThenable } from './is-thenable';
import { generateSpanId } from './random';
import { hasSpansEnabled, sampleRootSpan } from './sampling';
import { type Scope, setActiveSpanSlot, suppressTracingOn } from './scope';
import {
  NonRecordingSpan,
  RecordingSpan,
  type Span,
  type SpanAttributes,
  type SpanTime,
  type TraceSegment,
} from './span';
import { getSegment, recordsChildren } from './span-context';
import { createTransactionEvent } from './transaction-event';
import type { TransactionSource } from './types/event';

export interface StartSpanOptions {
  name: string;
  op?: string;
  /** Dotted origin, e.g. `auto.http.node`; default `manual`. */
  origin?: string;
  attributes?: SpanAttributes;
  startTime?: SpanTime;
  /** How good the name of a root span is; default `custom`. */
  source?: TransactionSource;
  /** The parent; `null` starts a new root span even when one is active. Default: the active span. */
  parentSpan?: Span | null;
  /** Start a root span (its own transaction) even under an active span. */
  forceTransaction?: boolean;
  /** Create a span only if there is a parent; otherwise a non-recording span. */
  onlyIfParent?: boolean;
  /** An explicit decision for a root span, above `tracesSampler` and the parent's decision. */
  sampled?: boolean;
  /** Start from this scope instead of the current one. */
  scope?: Scope;
}

/** Runs `callback` with a new active span that ends when it returns or its promise settles. */
export function startSpan<T>(options: StartSpanOptions, callback: (span: Span) => T): T {
  return withActiveSpanScope(options, (span) =>
    handleCallback(
      () => callback(span),
      () => markErrored(span),
      () => span.end(),
    ),
  );
}

/** Like startSpan, but the span ends only when the callback calls `finish` (or `span.end()`). */
export function startSpanManual<T>(
  options: StartSpanOptions,
  callback: (span: Span, finish: () => void) => T,
): T {
  return withActiveSpanScope(options, (span) =>
    handleCallback(
      () => callback(span, () => span.end()),
      () => markErrored(span),
      () => undefined,
    ),
  );
}

/** A span that is not made active: for work whose start and end happen in different callbacks. */
export function startInactiveSpan(options: StartSpanOptions): Span {
  const scope = options.scope ?? getCurrentScope();
  return createSpan(options, scope, getIsolationScope());
}

export function getActiveSpan(): Span | undefined {
  return getCurrentScope().getScopeData().span as Span | undefined;
}

/** Runs callback with `span` as the active span (`null`: none, so new spans become roots). */
export function withActiveSpan<T>(span: Span | null, callback: (scope: Scope) => T): T {
  return withScope((scope) => {
    setActiveSpanSlot(scope, span ?? undefined);
    return callback(scope);
  });
}

/** Runs callback without creating spans or propagation headers: for the SDK's own requests. */
export function suppressTracing<T>(callback: () => T): T {
  return withScope((scope) => {
    suppressTracingOn(scope);
    return callback();
  });
}

function withActiveSpanScope<T>(options: StartSpanOptions, callback: (span: Span) => T): T {
  const run = (scope: Scope): T => {
    const span = createSpan(options, scope, getIsolationScope());
    setActiveSpanSlot(scope, span);
    return callback(span);
  };
  return options.scope ? withScope(options.scope.clone(), run) : withScope(run);
}

function createSpan(options: StartSpanOptions, scope: Scope, isolationScope: Scope): Span {
  const parent =
    options.parentSpan === null
      ? undefined
      : (options.parentSpan ?? (scope.getScopeData().span as Span | undefined));
  const suppressed = scope.getScopeData().suppressTracing;
  const client = getClient();
  if (parent && (suppressed || !options.forceTransaction)) {
    // A child records only under a recording parent whose transaction has not been sent yet.
    const { traceId, spanId } = parent.spanContext();
    const segment = getSegment(parent);
    if (suppressed || !recordsChildren(parent)) {
      return new NonRecordingSpan(traceId, generateSpanId(), segment, spanId);
    }
    const span = new RecordingSpan(traceId, generateSpanId(), segment!, spanId, options);
    segment!.open.add(span);
    client?.emit('spanStart', span);
    return span;
  }
  // A new local root continuing the scope's trace. Suppressed, or `onlyIfParent` without a parent, it
  // belongs to no client; without tracing configured (tracing without performance) it records nothing
  // and the upstream decision (or none) propagates.
  const rootClient = suppressed || options.onlyIfParent ? undefined : client;
  const context = scope.getPropagationContext();
  const segment: TraceSegment = {
    root: undefined as unknown as Span,
    client: rootClient,
    sampled: context.sampled,
    sampleRand: context.sampleRand,
    dsc: context.dsc,
    finished: [],
    open: new Set(),
    dropped: 0,
    ended: false,
  };
  const clientOptions = rootClient?.getOptions();
  if (rootClient && hasSpansEnabled(clientOptions)) {
    const incomingRate = Number(context.dsc?.sample_rate);
    const decision = sampleRootSpan(
      clientOptions!,
      {
        name: options.name,
        attributes: options.attributes,
        parentSampled: context.sampled,
        parentSampleRate: Number.isFinite(incomingRate) ? incomingRate : undefined,
      },
      context.sampleRand,
      options.sampled,
    );
    Object.assign(segment, decision);
    if (decision.sampled) {
      const root = new RecordingSpan(
        context.traceId,
        generateSpanId(),
        segment,
        context.parentSpanId,
        options,
      );
      segment.root = root;
      segment.scope = scope;
      segment.isolationScope = isolationScope;
      segment.onRootEnd = (span, ended) => sendTransaction(rootClient, span, ended);
      segment.onChildEnd = (span) => rootClient.emit('spanEnd', span);
      rootClient.emit('spanStart', root);
      return root;
    }
    recordTransactionDrop(rootClient, 'sample_rate', 0);
  }
  segment.root = new NonRecordingSpan(context.traceId, generateSpanId(), segment, context.parentSpanId);
  return segment.root;
}

function sendTransaction(client: Client, root: RecordingSpan, segment: TraceSegment): void {
  client.emit('spanEnd', root);
  try {
    if (segment.dropped) client.recordDroppedEvent('buffer_overflow', 'span', segment.dropped);
    // The transport would drop it on arrival: while the ingest limits transactions (a spent quota),
    // none is built, processed or serialised, and a traced request costs little more than an untraced one.
    if (transactionsRateLimited(client)) {
      recordTransactionDrop(client, 'ratelimit_backoff', segment.finished.length);
      return;
    }
    client.captureEvent(createTransactionEvent(root, segment), {}, segment.scope, segment.isolationScope);
  } catch (error) {
    debug.errorOnce(`Building a transaction failed: ${String(error)}`);
  }
}

/** A custom transport's `isRateLimited` that throws counts as no limit: the transaction is still sent. */
function transactionsRateLimited(client: Client): boolean {
  try {
    return client.getTransport()?.isRateLimited?.('transaction') === true;
  } catch {
    return false;
  }
}

function markErrored(span: Span): void {
  if (span instanceof RecordingSpan && (!span.status || span.status === 'ok'))
    span.setStatus('internal_error');
}

/** Calls fn; on a throw or rejection runs onError; always runs onFinally once, then passes the result on. */
function handleCallback<T>(fn: () => T, onError: () => void, onFinally: () => void): T {
  let result: T;
  try {
    result = fn();
  } catch (error) {
    onError();
    onFinally();
    throw error;
  }
  if (isThenable(result)) {
    return result.then(
      (value) => {
        onFinally();
        return value;
      },
      (error: unknown) => {
        onError();
        onFinally();
        throw error;
      },
    ) as T;
  }
  onFinally();
  return result;
}
