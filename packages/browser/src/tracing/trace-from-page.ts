/**
 * The trace a server-rendered page belongs to: `<meta name="sentry-trace">`, `<meta name="baggage">`
 * and `<meta name="traceparent">`, else the `sentry-trace` and `baggage` entries of the document
 * response's `Server-Timing` header (what @faultline/node's `setServerTimingTraceHeader` writes).
 */
import type { IncomingTraceHeaders } from '@faultline/core';

export function traceHeadersFromPage(): IncomingTraceHeaders {
  const sentryTrace = metaContent('sentry-trace');
  const traceparent = metaContent('traceparent');
  if (sentryTrace || traceparent) {
    const headers: IncomingTraceHeaders = {};
    if (sentryTrace) headers.sentryTrace = sentryTrace;
    if (traceparent) headers.traceparent = traceparent;
    const baggage = metaContent('baggage');
    if (baggage) headers.baggage = baggage;
    return headers;
  }
  return traceHeadersFromServerTiming();
}

function metaContent(name: string): string | undefined {
  return globalThis.document?.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? undefined;
}

function traceHeadersFromServerTiming(): IncomingTraceHeaders {
  const navigation = globalThis.performance?.getEntriesByType?.('navigation')[0] as
    | PerformanceNavigationTiming
    | undefined;
  const headers: IncomingTraceHeaders = {};
  for (const { name, description } of navigation?.serverTiming ?? []) {
    if (name === 'sentry-trace') headers.sentryTrace = description;
    else if (name === 'baggage') headers.baggage = description;
  }
  return headers.sentryTrace ? headers : {};
}
