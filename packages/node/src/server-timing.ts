/**
 * Opt-in `Server-Timing` trace header, so a browser page can join the backend's trace: the browser
 * SDK reads `sentry-trace` and `baggage` entries from the navigation's `serverTiming`. Response
 * trace headers are never added unless an app asks for this.
 */
import type { ServerResponse } from 'node:http';
import { getTraceData } from '@faultline/core';

export function setServerTimingTraceHeader(response: ServerResponse): void {
  if (response.headersSent) return;
  const { 'sentry-trace': sentryTrace, baggage } = getTraceData();
  if (!sentryTrace) return;
  const entries = [`sentry-trace;desc="${sentryTrace}"`];
  if (baggage) entries.push(`baggage;desc="${baggage.replace(/"/g, '\\"')}"`);
  const existing = response.getHeader('Server-Timing');
  const current = Array.isArray(existing)
    ? existing.join(', ')
    : existing === undefined
      ? ''
      : String(existing);
  response.setHeader('Server-Timing', current ? `${current}, ${entries.join(', ')}` : entries.join(', '));
}
