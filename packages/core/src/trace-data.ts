/**
 * Trace context in and out of the process, for any carrier: HTTP headers, a queue message's
 * headers, a child process's environment (PROTOCOL.md §4). Outgoing: `getTraceData()` and
 * `injectTraceHeaders(carrier)`; incoming: `extractTraceContext(carrier)` and `continueTrace(...)`.
 */
import { mergeBaggage } from './baggage';
import { clientOrgId, dscFromPropagationContext } from './dynamic-sampling-context';
import { getClient, getCurrentScope, withScope } from './hub';
import { generatePropagationContext } from './propagation-context';
import { type Scope, setActiveSpanSlot } from './scope';
import { sentryTraceHeader } from './sentry-trace-header';
import type { Span } from './span';
import { getDynamicSamplingContextFromSpan, spanSampled } from './span-context';
import { type IncomingTraceHeaders, propagationContextFromHeaders } from './trace-continuation';
import { shouldPropagateTo } from './trace-propagation-targets';
import { traceparentHeader } from './traceparent-header';
import type { DynamicSamplingContext } from './types/envelope';

export interface TraceData {
  'sentry-trace'?: string;
  baggage?: string;
  traceparent?: string;
}

/** The headers that continue the current trace in another service; `{}` when tracing is suppressed or the SDK is off. */
export function getTraceData(options: { span?: Span; scope?: Scope } = {}): TraceData {
  return traceHeaders(options) ?? {};
}

/** The trace headers of the active (or given) span, else of the scope's trace; `carrier`'s baggage is kept. */
function traceHeaders(options: { span?: Span; scope?: Scope }, carrier?: Carrier): TraceData | undefined {
  const client = getClient();
  const scope = options.scope ?? getCurrentScope();
  if (!client?.isEnabled() || scope.getScopeData().suppressTracing) return undefined;
  const span = options.span ?? (scope.getScopeData().span as Span | undefined);
  let traceId: string;
  let spanId: string;
  let sampled: boolean | undefined;
  let dsc: DynamicSamplingContext | undefined;
  if (span) {
    ({ traceId, spanId } = span.spanContext());
    sampled = spanSampled(span);
    dsc = getDynamicSamplingContextFromSpan(span, true);
  } else {
    const context = scope.getPropagationContext();
    ({ traceId, spanId, sampled } = context);
    // Freeze: once it left the process, every later hop must see the same DSC.
    dsc = context.dsc ??= dscFromPropagationContext(client, context);
  }
  const data: TraceData = { 'sentry-trace': sentryTraceHeader(traceId, spanId, sampled) };
  // mergeBaggage reads strings and string arrays and ignores any other value.
  const existing = carrier && (readKey(carrier, 'baggage') as string | undefined);
  const baggage = existing === undefined ? ownBaggage(dsc) : mergeBaggage(existing, dsc);
  if (baggage) data.baggage = baggage;
  if (client.getOptions().propagateTraceparent === true)
    data.traceparent = traceparentHeader(traceId, spanId, sampled);
  return data;
}

/**
 * The DSCs given here are frozen, so the header made of one alone is encoded once per trace, not
 * once per outgoing request. It is kept on the DSC under a symbol, which JSON leaves out: a WeakMap
 * entry per trace cost ~0.8 µs of scavenger work (a new trace per request, in a service at its edge).
 */
const OWN_BAGGAGE = Symbol('ownBaggage');

function ownBaggage(dsc: DynamicSamplingContext | undefined): string | undefined {
  if (!dsc) return undefined;
  const cache = dsc as { [OWN_BAGGAGE]?: string };
  cache[OWN_BAGGAGE] ??= mergeBaggage(undefined, dsc);
  return cache[OWN_BAGGAGE];
}

/** Whether requests to `url` get trace headers, per the client's `tracePropagationTargets`. */
export function shouldPropagateTraceTo(url: string): boolean {
  return shouldPropagateTo(url, getClient()?.getOptions().tracePropagationTargets);
}

type Carrier =
  | Record<string, unknown>
  | { set(key: string, value: string): unknown; get?(key: string): unknown };

/**
 * Writes the trace headers into a carrier (a plain object or a Headers/Map-like `set`). An existing
 * `baggage` value is appended to, never replaced. Returns the carrier.
 */
export function injectTraceHeaders<C extends Carrier>(
  carrier: C,
  options: { span?: Span; scope?: Scope } = {},
): C {
  const data = traceHeaders(options, carrier) ?? {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof (carrier as { set?: unknown }).set === 'function')
      (carrier as { set(k: string, v: string): unknown }).set(key, value);
    else (carrier as Record<string, unknown>)[key] = value;
  }
  return carrier;
}

/**
 * Reads trace headers from a carrier: HTTP-style keys in any case, or the `SENTRY_TRACE` /
 * `SENTRY_BAGGAGE` environment variables a parent process passes to a child.
 */
export function extractTraceContext(carrier: Carrier | undefined | null): IncomingTraceHeaders {
  if (!carrier) return {};
  const headers: IncomingTraceHeaders = {};
  const sentryTrace = readKey(carrier, 'sentry-trace') ?? readKey(carrier, 'SENTRY_TRACE');
  const baggage = readKey(carrier, 'baggage') ?? readKey(carrier, 'SENTRY_BAGGAGE');
  const traceparent = readKey(carrier, 'traceparent');
  if (sentryTrace !== undefined) headers.sentryTrace = sentryTrace;
  if (typeof baggage === 'string' || Array.isArray(baggage)) headers.baggage = baggage as string | string[];
  if (traceparent !== undefined) headers.traceparent = traceparent;
  return headers;
}

/** The propagation context an incoming carrier describes, checked against this SDK's org. */
export function propagationContextFromIncoming(headers: IncomingTraceHeaders) {
  // Most requests start a trace: skip the client and org id lookups for them.
  if (headers.sentryTrace === undefined && headers.traceparent === undefined) {
    return generatePropagationContext();
  }
  const client = getClient();
  return propagationContextFromHeaders(headers, {
    orgId: client && clientOrgId(client),
    strictTraceContinuation: client?.getOptions().strictTraceContinuation,
  });
}

/** Runs callback in the trace the incoming headers describe (or a fresh one when they are missing or invalid). */
export function continueTrace<T>(headers: IncomingTraceHeaders, callback: () => T): T {
  return withScope((scope) => {
    scope.setPropagationContext(propagationContextFromIncoming(headers));
    setActiveSpanSlot(scope, undefined);
    return callback();
  });
}

/** Runs callback in a brand-new trace, whatever is active. */
export function startNewTrace<T>(callback: () => T): T {
  return withScope((scope) => {
    scope.setPropagationContext(generatePropagationContext());
    setActiveSpanSlot(scope, undefined);
    return callback();
  });
}

function readKey(carrier: Carrier, key: string): unknown {
  if (
    typeof (carrier as { get?: unknown }).get === 'function' &&
    typeof (carrier as { set?: unknown }).set === 'function'
  ) {
    return (carrier as { get(k: string): unknown }).get(key) ?? undefined;
  }
  const record = carrier as Record<string, unknown>;
  if (key in record) return record[key];
  const lower = key.toLowerCase();
  for (const name of Object.keys(record)) if (name.toLowerCase() === lower) return record[name];
  return undefined;
}
