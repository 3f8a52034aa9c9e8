/**
 * Page traces: a `pageload` transaction from the navigation start (continuing the server's trace
 * when the page carries one) with navigation, resource and paint spans and web vitals, a
 * `navigation` transaction (in a new trace) per history change, both ended when idle, and
 * `http.client` spans for fetch and XHR. Import it only where wanted: an errors-only bundle stays
 * small without it.
 */
import {
  type Client,
  generatePropagationContext,
  getCurrentScope,
  getIsolationScope,
  type Integration,
  propagationContextFromIncoming,
  RecordingSpan,
} from '@faultline/core';
import { addHistoryHandler } from '../instrument/history';
import { type EndIdleSpan, startIdleSpan } from './idle-span';
import { addPerformanceSpans } from './performance-spans';
import { instrumentRequests } from './request-spans';
import { traceHeadersFromPage } from './trace-from-page';
import { recordWebVitals } from './web-vitals';

export interface BrowserTracingOptions {
  /** Milliseconds without open child spans after which a page load or navigation ends (default 1000). */
  idleTimeout?: number;
  /** Milliseconds after which a page load or navigation ends regardless (default 30000). */
  finalTimeout?: number;
  instrumentPageLoad?: boolean;
  instrumentNavigation?: boolean;
  traceFetch?: boolean;
  traceXHR?: boolean;
}

export function browserTracingIntegration(options: BrowserTracingOptions = {}): Integration {
  const idle = { idleTimeout: options.idleTimeout ?? 1000, finalTimeout: options.finalTimeout ?? 30_000 };
  let endCurrent: EndIdleSpan | undefined;
  return {
    name: 'BrowserTracing',
    setup(client) {
      if (!globalThis.document || !globalThis.performance) return;
      // The page's trace when it carries one, else a new one: either way, one for both scopes.
      usePropagationContext(propagationContextFromIncoming(traceHeadersFromPage()));
      instrumentRequests(client, [
        options.traceFetch !== false && 'fetch',
        options.traceXHR !== false && 'xhr',
      ]);
      if (options.instrumentPageLoad !== false) endCurrent = startPageLoad(client, idle);
      if (options.instrumentNavigation !== false) {
        addHistoryHandler(() => {
          endCurrent?.();
          usePropagationContext(generatePropagationContext());
          endCurrent = startIdleSpan(client, routeSpanOptions('navigation'), idle);
        });
      }
    },
  };
}

function startPageLoad(client: Client, idle: { idleTimeout: number; finalTimeout: number }): EndIdleSpan {
  const vitals = recordWebVitals();
  return startIdleSpan(
    client,
    { ...routeSpanOptions('pageload'), startTime: performance.timeOrigin / 1000 },
    {
      ...idle,
      beforeEnd(span) {
        if (!(span instanceof RecordingSpan)) return;
        addPerformanceSpans(span, Date.now() / 1000);
        span.measurements = { ...span.measurements, ...vitals.collect() };
      },
    },
  );
}

function routeSpanOptions(op: 'pageload' | 'navigation') {
  return {
    name: location.pathname,
    op,
    origin: `auto.${op}.browser`,
    source: 'url' as const,
  };
}

function usePropagationContext(context: ReturnType<typeof generatePropagationContext>): void {
  getIsolationScope().setPropagationContext(context);
  getCurrentScope().setPropagationContext(context);
}
