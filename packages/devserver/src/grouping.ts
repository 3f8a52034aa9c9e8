/**
 * Which issue an error event belongs to. Like Sentry: the event's `fingerprint` when set (with
 * `{{ default }}` standing for the default grouping), else each exception's type plus its in-app frames
 * (module or file, and function — never line numbers, so a deploy that shifts code keeps the issue), else
 * the message template.
 */
import { createHash } from 'node:crypto';
import { asObject, asText, type JsonObject, objectsOf, valuesList } from './payload-values';

export interface Grouping {
  /** Stable hash of the components; the issue key within a project. */
  hash: string;
  components: string[];
}

const DEFAULT_PLACEHOLDER = /^\{\{\s*default\s*\}\}$/i;

export function groupingFor(event: JsonObject): Grouping {
  const components = fingerprintComponents(event) ?? defaultGroupingComponents(event);
  return { hash: createHash('sha1').update(JSON.stringify(components)).digest('hex'), components };
}

function fingerprintComponents(event: JsonObject): string[] | undefined {
  if (!Array.isArray(event.fingerprint)) return undefined;
  const parts = event.fingerprint.flatMap((part) => asText(part) ?? []);
  if (parts.length === 0) return undefined;
  return parts.flatMap((part) =>
    DEFAULT_PLACEHOLDER.test(part) ? defaultGroupingComponents(event) : [`fingerprint:${part}`],
  );
}

export function defaultGroupingComponents(event: JsonObject): string[] {
  const exceptions = valuesList(event.exception);
  if (exceptions.length > 0) return exceptions.flatMap(exceptionComponents);
  const message = messageTemplate(event);
  return message ? [`message:${message}`] : ['unlabeled'];
}

function exceptionComponents(exception: JsonObject): string[] {
  const type = asText(exception.type);
  const frames = groupingFrames(exception);
  const head = type ? [`type:${type}`] : [];
  if (frames.length > 0) return [...head, ...frames];
  const value = asText(exception.value);
  return value ? [...head, `value:${value}`] : head;
}

/** In-app frames when the SDK marked any, else every frame (Sentry's "system" grouping fallback). */
function groupingFrames(exception: JsonObject): string[] {
  const objects = objectsOf(asObject(exception.stacktrace)?.frames);
  const inApp = objects.filter((frame) => frame.in_app === true);
  return (inApp.length > 0 ? inApp : objects).flatMap((frame) => {
    const location = asText(frame.module) ?? stripQuery(asText(frame.filename) ?? asText(frame.abs_path));
    const fn = asText(frame.function);
    return location || fn ? [`frame:${location ?? '?'}:${fn ?? '?'}`] : [];
  });
}

function stripQuery(path: string | undefined): string | undefined {
  return path?.replace(/[?#].*$/, '');
}

/** The unformatted message, so that `"user %s failed"` groups across users. */
export function messageTemplate(event: JsonObject): string | undefined {
  const logentry = asObject(event.logentry);
  const message = asObject(event.message);
  return (
    asText(logentry?.message) ??
    asText(event.message) ??
    asText(message?.message) ??
    asText(logentry?.formatted) ??
    asText(message?.formatted)
  );
}
