/**
 * Recognising the SDK's own envelope requests, so that HTTP instrumentation never traces them, adds
 * breadcrumbs for them or propagates trace headers into them (which would loop: each sent envelope
 * creating a span that creates another envelope).
 *
 * Every transport registers its envelope endpoint (origin + path, without the auth query) here. An
 * outgoing request to one of those endpoints is the SDK's. The registry lives on `globalThis` so the
 * ESM and CJS builds of this package agree. Instrumentation asks `isSdkRequest` with what its channel
 * gives it: a URL, or undici's request object (`{ origin, path }`; through an HTTP proxy `path` is
 * the absolute target URL).
 */

const REGISTRY_KEY = Symbol.for('faultline.node.sdkEndpoints');

export type SdkRequestTarget = string | URL | { origin?: string | URL | null; path?: string | null };

function endpoints(): Set<string> {
  const holder = globalThis as unknown as Record<symbol, Set<string> | undefined>;
  let registry = holder[REGISTRY_KEY];
  if (!registry) {
    registry = new Set();
    holder[REGISTRY_KEY] = registry;
  }
  return registry;
}

/** Declares `url` (its origin and path) as an endpoint the SDK sends to. */
export function registerSdkEndpoint(url: URL): void {
  endpoints().add(url.origin + url.pathname);
}

/** True when the request goes to an endpoint registered by an SDK transport. Never throws. */
export function isSdkRequest(target: SdkRequestTarget): boolean {
  const registry = endpoints();
  if (registry.size === 0) return false;
  try {
    return registry.has(endpointKey(target));
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
