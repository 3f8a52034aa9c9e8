/**
 * The trace a server-rendered page belongs to: `<meta name="sentry-trace">`, `<meta name="baggage">`
 * and `<meta name="traceparent">`, else the `sentry-trace` and `baggage` entries of the document
 * response's `Server-Timing` header (what @faultline/node's `setServerTimingTraceHeader` writes).
 */
import type { IncomingTraceHeaders } from '@faultline/core';
import { navigationTiming } from './performance-spans';

export function traceHeadersFromPage(): IncomingTraceHeaders {
  const meta = (name: string) =>
    globalThis.document?.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? undefined;
  const sentryTrace = meta('sentry-trace');
  const traceparent = meta('traceparent');
  if (sentryTrace || traceparent) return { sentryTrace, traceparent, baggage: meta('baggage') };
  const timing = (name: string) =>
    navigationTiming()?.serverTiming?.find((entry) => entry.name === name)?.description;
  return { sentryTrace: timing('sentry-trace'), baggage: timing('baggage') };
}
