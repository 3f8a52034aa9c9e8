/**
 * Which requests of a page get trace headers: its own origin always, other URLs only when they
 * match `tracePropagationTargets`, so third-party APIs never see them (no CORS preflight failures,
 * no leaked ids) unless asked. `tracePropagationTargets: []` sends them nowhere.
 */
import { shouldPropagateTo } from '@faultline/core';

export function shouldAttachTraceHeaders(
  url: string,
  targets: ReadonlyArray<string | RegExp> | undefined,
  pageHref: string | undefined,
): boolean {
  if (targets?.length === 0) return false;
  let resolved: URL;
  try {
    resolved = new URL(url, pageHref);
  } catch {
    return false;
  }
  if (pageHref !== undefined && resolved.origin === new URL(pageHref).origin) return true;
  return (
    targets !== undefined && (shouldPropagateTo(resolved.href, targets) || shouldPropagateTo(url, targets))
  );
}
