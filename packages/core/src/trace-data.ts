/**
 * Trace context in and out of the process, for any carrier: HTTP headers, a queue message's
 * headers, a child process's environment (PROTOCOL.md §4). Outgoing: `getTraceData()` and
 * `injectTraceHeaders(carrier)`; incoming: `extractTraceContext(carrier)` and `continueTrace(...)`.
 */
import { mergeBaggage } from './baggage';
import { clientOrgId, dscFromPropagationContext } from './dynamic-sampling-context';
import { getClient, getCurrentScope, withScope } from './hub';
import { generatePropagationContext } from './propagation-context';
import type { Scope } from './scope';
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

interface TraceState {
  traceId: string;
  spanId: string;
  sampled: boolean | undefined;
  dsc: DynamicSamplingContext | undefined;
  traceparent: boolean;
}

/** The headers that continue the current trace in another service; `{}` when tracing is suppressed or the SDK is off. */
export function getTraceData(options: { span?: Span; scope?: Scope } = {}): TraceData {
  const state = currentTraceState(options);
  return state ? traceHeaders(state, undefined) : {};
}

function currentTraceState(options: { span?: Span; scope?: Scope }): TraceState | undefined {
  const client = getClient();
  const scope = options.scope ?? getCurrentScope();
  if (!client?.isEnabled() || scope.isTracingSuppressed()) return undefined;
  const traceparent = client.getOptions().propagateTraceparent === true;
  const span = options.span ?? (scope.getScopeData().span as Span | undefined);
  if (span) {
    const { traceId, spanId } = span.spanContext();
    return {
      traceId,
      spanId,
      sampled: spanSampled(span),
      dsc: getDynamicSamplingContextFromSpan(span, true),
      traceparent,
    };
  }
  const context = scope.getPropagationContext();
  // Freeze: once it left the process, every later hop must see the same DSC.
  context.dsc ??= dscFromPropagationContext(client, context);
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    sampled: context.sampled,
    dsc: context.dsc,
    traceparent,
  };
}

function traceHeaders(state: TraceState, existingBaggage: string | string[] | undefined): TraceData {
  const data: TraceData = { 'sentry-trace': sentryTraceHeader(state.traceId, state.spanId, state.sampled) };
  const baggage = mergeBaggage(existingBaggage, state.dsc);
  if (baggage) data.baggage = baggage;
  if (state.traceparent) data.traceparent = traceparentHeader(state.traceId, state.spanId, state.sampled);
  return data;
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
  const state = currentTraceState(options);
  if (!state) return carrier;
  const existing = readKey(carrier, 'baggage');
  const data = traceHeaders(
    state,
    typeof existing === 'string' || Array.isArray(existing) ? (existing as string | string[]) : undefined,
  );
  const write = (key: string, value: string | undefined) => {
    if (value === undefined) return;
    if (typeof (carrier as { set?: unknown }).set === 'function')
      (carrier as { set(k: string, v: string): unknown }).set(key, value);
    else (carrier as Record<string, unknown>)[key] = value;
  };
  write('sentry-trace', data['sentry-trace']);
  write('baggage', data.baggage);
  write('traceparent', data.traceparent);
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
    scope.setActiveSpanSlot(undefined);
    return callback();
  });
}

/** Runs callback in a brand-new trace, whatever is active. */
export function startNewTrace<T>(callback: () => T): T {
  return withScope((scope) => {
    scope.setPropagationContext(generatePropagationContext());
    scope.setActiveSpanSlot(undefined);
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
