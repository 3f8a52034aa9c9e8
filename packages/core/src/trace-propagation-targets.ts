/** Which outgoing requests get trace headers (`tracePropagationTargets`, PROTOCOL.md §4.1). */
import { matchesAnyPattern } from './string-matching';

/** The server default: every URL. Browsers pass their own (same origin). */
export const DEFAULT_SERVER_PROPAGATION_TARGETS: ReadonlyArray<string | RegExp> = [/.*/];

/** Targets undefined ⇒ the defaults; `[]` ⇒ nowhere (incoming traces are still continued). */
export function shouldPropagateTo(
  url: string,
  targets?: ReadonlyArray<string | RegExp>,
  defaultTargets: ReadonlyArray<string | RegExp> = DEFAULT_SERVER_PROPAGATION_TARGETS,
): boolean {
  return matchesAnyPattern(url, targets ?? defaultTargets);
}

/** `https://a.b/c?d#e` → `https://a.b/c`: span names and data must not leak query strings. */
export function stripUrlQueryAndFragment(url: string): string {
  return url.split(/[?#]/, 1)[0]!;
}
