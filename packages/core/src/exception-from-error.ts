import { normalize, normalizeToSize } from './normalize';
import { attempt, constructorName, nonEmptyString, readProperty, typeTag } from './safe-read';
import { truncate } from './truncate';
import type { Event, EventHint, Exception, Mechanism, SeverityLevel } from './types/event';
import type { StackParser } from './types/stacktrace';

/** Exception values per event, the thrown error included; deeper causes and group members are dropped. */
const MAX_EXCEPTION_VALUES = 10;
const MAX_KEYS_IN_MESSAGE_LENGTH = 40;
const NON_ERROR = 'Non-Error exception captured';

export interface EventFromInputOptions {
  /** Depth for serialising non-error objects into `extra.__serialized__`; defaults to 3. */
  normalizeDepth?: number;
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** Frames from the stack of the hint's synthetic exception, when there is one. */
const withSyntheticFrames = <T extends Exception>(
  exception: T,
  stackParser: StackParser,
  hint?: EventHint,
): T => withFrames(exception, stackParser, readProperty(hint?.syntheticException, 'stack'));

/** `before + value + after` when `value` is non-empty, else ''. */
const wrap = (before: string, value: unknown, after = ''): string => (value ? before + value + after : '');

/** Errors from this realm, other realms (iframes, vm contexts) and `{ name, message, stack? }` look-alikes. */
function isErrorLike(value: unknown): value is Error {
  return !!attempt(
    () =>
      typeof value === 'object' &&
      !!value &&
      (value instanceof Error ||
        /^(Error|DOMException)$/.test(typeTag(value)) ||
        (isString(readProperty(value, 'name')) &&
          isString(readProperty(value, 'message')) &&
          ['undefined', 'string'].includes(typeof readProperty(value, 'stack')))),
  );
}

/** Sets `exception.stacktrace` from the frames of `stack`, when it has any. */
function withFrames<T extends Exception>(exception: T, stackParser: StackParser, stack: unknown): T {
  const frames = (isString(stack) && attempt(() => stackParser(stack))) || [];
  if (frames.length) exception.stacktrace = { frames };
  return exception;
}

function describeValue(value: unknown): string {
  const normalized = normalize(value);
  return isString(normalized) ? normalized : JSON.stringify(normalized);
}

/** One exception value for an error: type from its name (or class), value from its message, parsed frames. */
export function exceptionFromError(stackParser: StackParser, error: Error): Exception {
  const message = readProperty(error, 'message');
  return withFrames(
    {
      type: nonEmptyString(readProperty(error, 'name')) || constructorName(error) || 'Error',
      value: message === undefined || message === '' ? 'No error message' : describeValue(message),
    },
    stackParser,
    readProperty(error, 'stack'),
  );
}

/**
 * The thrown error plus its `cause` chain and `errors` members, depth first, numbered in discovery
 * order (thrown error = 0) and returned oldest → newest: the deepest cause first, the thrown error last.
 */
function exceptionsFromErrorTree(stackParser: StackParser, root: Error): Exception[] {
  const discovered: Exception[] = [exceptionFromError(stackParser, root)];
  const seen = new Set<unknown>([root]);

  const walk = (error: Error, id: number): void => {
    const children: Array<[unknown, string]> = [[readProperty(error, 'cause'), 'cause']];
    const errors = readProperty(error, 'errors');
    // A hostile `errors` value only costs the group members.
    attempt(() => {
      if (Array.isArray(errors))
        for (let i = 0; i < Math.min(errors.length, MAX_EXCEPTION_VALUES); i++)
          children.push([readProperty(errors, i), `errors[${i}]`]);
    });
    for (const [child, source] of children) {
      if (discovered.length >= MAX_EXCEPTION_VALUES) return;
      if (seen.has(child) || !isErrorLike(child)) continue;
      seen.add(child);
      const parent = discovered[id]!;
      parent.mechanism = {
        ...parent.mechanism,
        exception_id: id,
        ...(source !== 'cause' && { is_exception_group: true }),
      } as Mechanism;
      const childId = discovered.length;
      const exception = exceptionFromError(stackParser, child);
      exception.mechanism = { type: 'chained', source, exception_id: childId, parent_id: id };
      discovered.push(exception);
      walk(child, childId);
    }
  };
  walk(root, 0);
  return discovered.reverse();
}

/** Sorted keys, comma separated, cut to about 40 characters. */
function keysForMessage(keys: string[]): string {
  let joined = truncate(keys[0] as string, MAX_KEYS_IN_MESSAGE_LENGTH);
  for (const key of keys.slice(1)) {
    if (`${joined}, ${key}`.length > MAX_KEYS_IN_MESSAGE_LENGTH) return `${joined}, ...`;
    joined += `, ${key}`;
  }
  return joined ?? '[object has no keys]';
}

/** `img#logo.hero src=…` for elements, `XMLHttpRequest https://…` for other event targets. */
function describeEventTarget(target: unknown): string | undefined {
  if (typeof target !== 'object' || !target) return undefined;
  const read = (key: string) => nonEmptyString(readProperty(target, key));
  const tagName = nonEmptyString(readProperty(target, 'tagName') ?? readProperty(target, 'nodeName'));
  if (tagName) {
    return (
      tagName.toLowerCase() +
      wrap('#', read('id')) +
      wrap('.', read('className')?.trim().replace(/\s+/g, '.')) +
      wrap(' src=', read('src'))
    );
  }
  return (constructorName(target) || 'Object') + wrap(' ', read('url'));
}

/** `[value, extra.__serialized__, type]` of a thrown non-error object. */
type NonErrorDescription = [value: string, serialized?: unknown, type?: string];

function describeObject(input: object, normalizeDepth: number): NonErrorDescription {
  const className = constructorName(input);
  const ownClass = className === 'Object' ? '' : className;
  const read = (key: string) => readProperty(input, key);
  const status = read('status');
  const statusText = read('statusText');
  const url = read('url');
  if (typeof status === 'number' && isString(statusText) && isString(url)) {
    const request = [nonEmptyString(read('method')), url].filter(Boolean).join(' ');
    return [
      `${NON_ERROR}: HTTP ${`${status} ${statusText}`.trim()}${wrap(' (', request, ')')}`,
      { status, statusText, url },
      className === 'Response' ? className : 'Error',
    ];
  }

  const type = read('type');
  const isTrusted = read('isTrusted');
  if (isString(type) && typeof isTrusted === 'boolean' && attempt(() => 'target' in input)) {
    const eventClass = ownClass || 'Event';
    const target = describeEventTarget(read('target'));
    return [
      `Event \`${eventClass}\` (type=${type}) captured as exception${wrap(' (target: ', target, ')')}`,
      { type, isTrusted, target: target ?? null },
      eventClass,
    ];
  }

  // 16 KB: the ingest's limit for one `extra` item.
  const serialized = normalizeToSize(input, normalizeDepth, 16 * 1024);
  return [
    nonEmptyString(read('message')) ||
      `${wrap("'", ownClass, "'") || 'Object'} captured as exception with keys: ${keysForMessage(
        attempt(() => Object.keys(input), [])!.sort(),
      )}`,
    serialized,
  ];
}

function describeNonError(input: unknown, normalizeDepth: number): NonErrorDescription {
  if (isString(input)) return [input];
  if (typeof input !== 'object' || !input)
    return [`${NON_ERROR} with value: ${typeof input === 'function' ? normalize(input) : String(input)}`];
  // describeObject only reads through guards; this is a last line of defence.
  return attempt(() => describeObject(input, normalizeDepth), [NON_ERROR])!;
}

/**
 * Builds an error event from anything that was thrown or rejected. Errors (with their `cause` chains and
 * `AggregateError` members as linked exceptions) keep their own stacks; anything else becomes a synthetic
 * exception described as meaningfully as possible, with `hint.syntheticException` providing the stack.
 * Never throws.
 */
export function eventFromUnknownInput(
  stackParser: StackParser,
  exception: unknown,
  hint?: EventHint,
  options: EventFromInputOptions = {},
): Event {
  // ErrorEvent-like objects carry the real error; capturing that beats describing the event.
  const error = readProperty(exception, 'error');
  const input =
    !isErrorLike(exception) && isString(readProperty(exception, 'type')) && isErrorLike(error)
      ? error
      : exception;
  const synthetic = !isErrorLike(input);
  let values: Exception[];
  let serialized: unknown;

  if (synthetic) {
    const [value, described, type = 'Error'] = describeNonError(input, options.normalizeDepth ?? 3);
    serialized = described;
    values = [withSyntheticFrames({ type, value }, stackParser, hint)];
  } else {
    values = exceptionsFromErrorTree(stackParser, input);
  }

  const top = values[values.length - 1]!;
  top.mechanism = {
    type: 'generic',
    handled: true,
    synthetic: synthetic || undefined,
    ...hint?.mechanism,
    ...top.mechanism,
  };
  // Every mechanism object here was created by this call, so it can be updated in place. (Values
  // are cut to `maxValueLength` when the event is prepared, as those of every other event.)
  for (const value of values) value.mechanism!.handled = top.mechanism.handled;

  return {
    level: 'error',
    extra: serialized === undefined ? undefined : { __serialized__: serialized },
    exception: { values },
    event_id: hint?.event_id,
  };
}

/** Builds a message event; with `attachStacktrace` the synthetic exception's frames ride along. */
export function eventFromMessage(
  stackParser: StackParser,
  message: string,
  level: SeverityLevel = 'info',
  hint?: EventHint,
  attachStacktrace?: boolean,
): Event {
  const text = describeValue(message);
  const event: Event = { level, message: text, event_id: hint?.event_id };
  if (attachStacktrace) {
    const value: Exception = withSyntheticFrames(
      { value: text, mechanism: { type: 'generic', handled: true, synthetic: true } },
      stackParser,
      hint,
    );
    if (value.stacktrace) event.exception = { values: [value] };
  }
  return event;
}
