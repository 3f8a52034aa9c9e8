/**
 * The page an event happened on: `request.url` and the `User-Agent` and `Referer` headers, from
 * which the ingest derives browser, OS and device.
 */
import type { Integration } from '@faultline/core';

export function httpContextIntegration(): Integration {
  return {
    name: 'HttpContext',
    preprocessEvent(event) {
      if (!globalThis.location && !globalThis.navigator) return;
      const headers: Record<string, string> = { ...event.request?.headers };
      if (globalThis.navigator?.userAgent) headers['User-Agent'] = navigator.userAgent;
      if (globalThis.document?.referrer) headers.Referer = document.referrer;
      event.request = {
        ...event.request,
        url: event.request?.url ?? globalThis.location?.href,
        headers,
      };
    },
  };
}
