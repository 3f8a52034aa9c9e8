/**
 * Children of the page load transaction from what the browser recorded: the document request's
 * phases (DNS, connect, TLS, request, response) and its DOMContentLoaded and load handlers, each
 * resource (scripts, styles, images; fetch and XHR have their own `http.client` spans), paints and
 * the page's own `performance.mark` / `measure` entries.
 */
import { type Span, startInactiveSpan, stripUrlQueryAndFragment } from '@faultline/core';

const OWN_SPANS = ['fetch', 'xmlhttprequest', 'beacon'];

type Timing = PerformanceNavigationTiming;

/** The document request's timing entry, when the browser has one. */
export function navigationTiming(): Timing | undefined {
  return globalThis.performance?.getEntriesByType?.('navigation')[0] as Timing | undefined;
}

/**
 * The document request's phases: `browser.<op>` spans, named as the op unless said otherwise. A phase
 * `op` without its own start and end runs from `<op>Start` to `<op>End`.
 */
const NAVIGATION_PHASES: Array<[op: string, name?: string, start?: keyof Timing, end?: keyof Timing]> = [
  ['dns', 'DNS', 'domainLookupStart', 'domainLookupEnd'],
  ['connect'],
  ['tls', 'TLS/SSL', 'secureConnectionStart', 'connectEnd'],
  ['request', undefined, 'requestStart', 'responseStart'],
  ['response'],
  ['domContentLoadedEvent'],
  ['loadEvent'],
];

/** Adds the recorded timings up to `until` (Unix seconds) as children of `root`. */
export function addPerformanceSpans(root: Span, until: number): void {
  const seconds = (time: number) => (performance.timeOrigin + time) / 1000;
  const child = (op: string, name: string, start: number, end: number, attributes = {}) => {
    if (seconds(start) <= until)
      startInactiveSpan({
        name,
        op,
        origin: 'auto.ui.browser.metrics',
        parentSpan: root,
        startTime: seconds(start),
        attributes,
      }).end(seconds(end));
  };

  const navigation = navigationTiming();
  for (const [phase, name, start = `${phase}Start`, end = `${phase}End`] of NAVIGATION_PHASES) {
    const from = navigation?.[start as keyof Timing] as number;
    const to = navigation?.[end as keyof Timing] as number;
    if (from > 0 && to >= from) child(`browser.${phase}`, name ?? phase, from, to);
  }
  for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    if (OWN_SPANS.includes(entry.initiatorType)) continue;
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
