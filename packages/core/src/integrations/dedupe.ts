/**
 * Drops an error event identical to the one just captured in the same trace: the same failure reported
 * twice by two handlers (one rethrowing a copy of the other's error). The same error in another trace
 * is another occurrence (another request hitting the same bug) and is kept.
 */
import type { Event } from '../types/event';
import type { Integration } from '../types/integration';

export function dedupeIntegration(): Integration {
  let previous: Event | undefined;
  return {
    name: 'Dedupe',
    processEvent(event) {
      if (event.type === 'transaction') return event;
      if (previous && isSameEvent(event, previous)) return null;
      previous = event;
      return event;
    },
  };
}

/** Same length and pairwise `same` (strict equality by default); missing lists count as empty. */
function sameList<T>(a: T[] = [], b: T[] = [], same = (x: T, y: T): boolean => x === y): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]!));
}

/** Same trace, message, exceptions (type, value, frame positions) and fingerprint; never for empty events. */
function isSameEvent(current: Event, previous: Event): boolean {
  return (
    current.contexts?.trace?.trace_id === previous.contexts?.trace?.trace_id &&
    current.message === previous.message &&
    !!(current.exception?.values?.length || current.message) &&
    sameList(
      current.exception?.values,
      previous.exception?.values,
      (a, b) =>
        a.type === b.type &&
        a.value === b.value &&
        sameList(a.stacktrace?.frames, b.stacktrace?.frames, (f, g) =>
          (['filename', 'lineno', 'colno', 'function'] as const).every((key) => f[key] === g[key]),
        ),
    ) &&
    sameList(current.fingerprint, previous.fingerprint)
  );
}
