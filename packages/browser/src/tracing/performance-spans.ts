/**
 * Children of the page load transaction from what the browser recorded: the document request's
 * phases (DNS, connect, TLS, request, response) and its DOMContentLoaded and load handlers, each
 * resource (scripts, styles, images; fetch and XHR have their own `http.client` spans), paints and
 * the page's own `performance.mark` / `measure` entries.
 */
import { type Span, startInactiveSpan, stripUrlQueryAndFragment } from '@faultline/core';

const ORIGIN = 'auto.ui.browser.metrics';
const OWN_SPANS = new Set(['fetch', 'xmlhttprequest', 'beacon']);

type Timing = PerformanceNavigationTiming;

/** The document request's phases: `browser.<op>` spans, named as the op unless said otherwise. */
const NAVIGATION_PHASES: Array<[op: string, start: keyof Timing, end: keyof Timing, name?: string]> = [
  ['dns', 'domainLookupStart', 'domainLookupEnd', 'DNS'],
  ['connect', 'connectStart', 'connectEnd'],
  ['tls', 'secureConnectionStart', 'connectEnd', 'TLS/SSL'],
  ['request', 'requestStart', 'responseStart'],
  ['response', 'responseStart', 'responseEnd'],
  ['domContentLoadedEvent', 'domContentLoadedEventStart', 'domContentLoadedEventEnd'],
  ['loadEvent', 'loadEventStart', 'loadEventEnd'],
];

/** Adds the recorded timings up to `until` (Unix seconds) as children of `root`. */
export function addPerformanceSpans(root: Span, until: number): void {
  const origin = performance.timeOrigin;
  const seconds = (time: number) => (origin + time) / 1000;
  const child = (op: string, name: string, start: number, end: number, attributes = {}) => {
    if (seconds(start) > until) return;
    startInactiveSpan({
      name,
      op,
      origin: ORIGIN,
      parentSpan: root,
      startTime: seconds(start),
      attributes,
    }).end(seconds(end));
  };

  const navigation = performance.getEntriesByType('navigation')[0] as Timing | undefined;
  if (navigation) {
    for (const [op, start, end, name = op] of NAVIGATION_PHASES) {
      const from = navigation[start] as number;
      const to = navigation[end] as number;
      if (from > 0 && to >= from) child(`browser.${op}`, name, from, to);
    }
  }
  for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    if (OWN_SPANS.has(entry.initiatorType)) continue;
    child(
      `resource.${entry.initiatorType || 'other'}`,
      stripUrlQueryAndFragment(entry.name),
      entry.startTime,
      entry.responseEnd,
      {
        'http.response_transfer_size': entry.transferSize,
        'http.response_content_length': entry.encodedBodySize,
        'http.decoded_response_body_length': entry.decodedBodySize,
      },
    );
  }
  // Paints last no time: their spans start and end at once.
  for (const type of ['paint', 'mark', 'measure']) {
    for (const entry of performance.getEntriesByType(type)) {
      child(type, entry.name, entry.startTime, entry.startTime + entry.duration);
    }
  }
}
