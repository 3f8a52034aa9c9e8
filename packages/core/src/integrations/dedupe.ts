/**
 * Drops an error event identical to the one just captured in the same trace: the same failure reported
 * twice by two handlers (one rethrowing a copy of the other's error). The same error in another trace
 * is another occurrence (another request hitting the same bug) and is kept.
 */
import type { Event, Exception, StackFrame } from '../types/event';
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

function isSameEvent(current: Event, previous: Event): boolean {
  if (current.contexts?.trace?.trace_id !== previous.contexts?.trace?.trace_id) return false;
  if (current.message !== previous.message) return false;
  const a = current.exception?.values ?? [];
  const b = previous.exception?.values ?? [];
  if (a.length !== b.length) return false;
  if (!a.length && !current.message) return false;
  for (let i = 0; i < a.length; i++) {
    if (!isSameException(a[i]!, b[i]!)) return false;
  }
  return sameStrings(current.fingerprint, previous.fingerprint);
}

function isSameException(a: Exception, b: Exception): boolean {
  return a.type === b.type && a.value === b.value && sameFrames(a.stacktrace?.frames, b.stacktrace?.frames);
}

function sameFrames(a: StackFrame[] = [], b: StackFrame[] = []): boolean {
  if (a.length !== b.length) return false;
  return a.every(
    (frame, i) =>
      frame.filename === b[i]!.filename &&
      frame.lineno === b[i]!.lineno &&
      frame.colno === b[i]!.colno &&
      frame.function === b[i]!.function,
  );
}

function sameStrings(a: string[] = [], b: string[] = []): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
