/**
 * The page an event happened on: `request.url` and the `User-Agent` and `Referer` headers, from
 * which the ingest derives browser, OS and device.
 */
import type { Integration } from '@faultline/core';

export function httpContextIntegration(): Integration {
  return {
    name: 'HttpContext',
    preprocessEvent(event) {
      const { location, navigator, document } = globalThis;
      if (!location && !navigator) return;
      const request = event.request;
      event.request = {
        ...request,
        url: request?.url ?? location?.href,
        headers: {
          ...request?.headers,
          ...(navigator?.userAgent && { 'User-Agent': navigator.userAgent }),
          ...(document?.referrer && { Referer: document.referrer }),
        },
      };
    },
  };
}
