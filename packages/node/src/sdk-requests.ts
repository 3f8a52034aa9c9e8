/**
 * Recognising the SDK's own envelope requests, so that HTTP instrumentation never traces them, adds
 * breadcrumbs for them or propagates trace headers into them (which would loop: each sent envelope
 * creating a span that creates another envelope).
 *
 * Every transport registers its envelope endpoint (origin + path, without the auth query) here. An
 * outgoing request to one of those endpoints is the SDK's. The registry is process-wide so the
 * ESM and CJS builds of this package agree. Instrumentation asks `isSdkRequest` with what its channel
 * gives it: a URL, or undici's request object (`{ origin, path }`; through an HTTP proxy `path` is
 * the absolute target URL).
 *
 * The same registry recognises those requests arriving, when the ingest is a server in this very
 * process: tracing its envelope requests would send an envelope per envelope received, without end.
 */

import { processWide } from './process-wide';

/** Envelope endpoints (origin + path) of every transport in the process. */
const endpoints = processWide(Symbol.for('faultline.node.sdkEndpoints'), () => new Set<string>());

export type SdkRequestTarget = string | URL | { origin?: string | URL | null; path?: string | null };

/** `Host` header + path of every endpoint, and their paths alone (most arrivals stop at the paths). */
const arrivals = processWide(Symbol.for('faultline.node.sdkEndpointArrivals'), () => ({
  paths: new Set<string>(),
  hostsAndPaths: new Set<string>(),
}));

/** Declares `url` (its origin and path) as an endpoint the SDK sends to. */
export function registerSdkEndpoint(url: URL): void {
  endpoints.add(url.origin + url.pathname);
  arrivals.paths.add(url.pathname);
  arrivals.hostsAndPaths.add(url.host + url.pathname);
}

/**
 * True when an incoming request, by its path (without query) and `Host` header, is addressed to an
 * endpoint an SDK transport sends to. Reads the headers (which Node builds lazily) only for a path
 * that matches.
 */
export function isSdkRequestArrival(path: string, request: { readonly headers: { host?: string } }): boolean {
  if (!arrivals.paths.has(path)) return false;
  const host = request.headers.host;
  return host !== undefined && arrivals.hostsAndPaths.has(host.toLowerCase() + path);
}

/** True when the request goes to an endpoint registered by an SDK transport. Never throws. */
export function isSdkRequest(target: SdkRequestTarget): boolean {
  if (endpoints.size === 0) return false;
  try {
    return endpoints.has(endpointKey(target));
  } catch {
    return false;
  }
}

function endpointKey(target: SdkRequestTarget): string {
  if (typeof target === 'string' || target instanceof URL) {
    const url = new URL(target);
    return url.origin + url.pathname;
  }
  const path = target.path ?? '/';
  if (/^https?:\/\//i.test(path)) return endpointKey(path);
  const origin = target.origin instanceof URL ? target.origin.origin : normalizedOrigin(target.origin ?? '');
  const query = path.indexOf('?');
  return origin + (query === -1 ? path : path.slice(0, query));
}

/**
 * undici asks about every outgoing request with the same few origin strings; parsing each into a URL
 * was most of the check's cost. Bounded: an app calling many hosts only refills the cache.
 */
const MAX_CACHED_ORIGINS = 64;
const originCache = new Map<string, string>();

function normalizedOrigin(origin: string): string {
  let normalized = originCache.get(origin);
  if (normalized === undefined) {
    normalized = new URL(origin).origin;
    if (originCache.size >= MAX_CACHED_ORIGINS) originCache.clear();
    originCache.set(origin, normalized);
  }
  return normalized;
}
