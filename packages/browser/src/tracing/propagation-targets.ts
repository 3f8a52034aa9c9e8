/**
 * Which requests of a page get trace headers: its own origin always, other URLs only when they
 * match `tracePropagationTargets`, so third-party APIs never see them (no CORS preflight failures,
 * no leaked ids) unless asked. `tracePropagationTargets: []` sends them nowhere.
 */
import { matchesAnyPattern } from '@faultline/core';

/** `url`: the request's URL resolved against the page; `rawUrl`: as the page passed it. */
export function shouldAttachTraceHeaders(
  url: URL,
  rawUrl: string,
  targets: ReadonlyArray<string | RegExp> | undefined,
  pageOrigin: string | undefined,
): boolean {
  if (targets?.length === 0) return false;
  if (url.origin === pageOrigin) return true;
  return targets != null && (matchesAnyPattern(url.href, targets) || matchesAnyPattern(rawUrl, targets));
}
