/** The human-facing labels of an event: the title and culprit shown in issue lists. */
import { messageTemplate } from './grouping';
import { asObject, asText, firstLine, type JsonObject, objectsOf, valuesList } from './payload-values';

/** Function names stack parsers use when there is none. */
const ANONYMOUS = new Set(['?', '<anonymous>']);

export interface EventSummary {
  title: string;
  culprit?: string;
  /** Type and value of the exception that was thrown (the last one; values run cause → thrown). */
  type?: string;
  value?: string;
}

export function summarizeEvent(event: JsonObject): EventSummary {
  const exceptions = valuesList(event.exception);
  const thrown = exceptions[exceptions.length - 1];
  const culprit = (asText(event.culprit) ?? asText(event.transaction) ?? frameCulprit(thrown))?.slice(0, 200);
  if (thrown) {
    const type = asText(thrown.type);
    const value = asText(thrown.value);
    const title = type && value ? `${type}: ${value}` : (type ?? value ?? 'Error');
    return { title: firstLine(title), culprit, type, value };
  }
  const message = formattedMessage(event);
  return { title: message ? firstLine(message) : '<unlabeled event>', culprit };
}

function formattedMessage(event: JsonObject): string | undefined {
  const logentry = asObject(event.logentry);
  const message = asObject(event.message);
  return asText(logentry?.formatted) ?? asText(message?.formatted) ?? messageTemplate(event);
}

/** `function (file)` of the innermost in-app frame (frames run caller → callee). */
function frameCulprit(exception: JsonObject | undefined): string | undefined {
  const objects = objectsOf(asObject(exception?.stacktrace)?.frames);
  const frame =
    [...objects].reverse().find((candidate) => candidate.in_app === true) ?? objects[objects.length - 1];
  if (!frame) return undefined;
  const location = asText(frame.module) ?? asText(frame.filename) ?? asText(frame.abs_path);
  const fn = ANONYMOUS.has(asText(frame.function) ?? '?') ? undefined : asText(frame.function);
  if (fn && location) return `${fn} (${location})`;
  return fn ?? location;
}
