import { constructorName, describeThrown, normalize, normalizeToSize } from './normalize';
import { truncate } from './truncate';
import type { Event, EventHint, Exception, Mechanism, SeverityLevel, StackFrame } from './types/event';
import type { StackParser } from './types/stacktrace';

/** Exception values per event, the thrown error included; deeper causes and group members are dropped. */
const MAX_EXCEPTION_VALUES = 10;
/** Matches the ingest's message limit, so exception values are only cut when they could not be stored. */
const DEFAULT_MAX_VALUE_LENGTH = 8192;
/** The ingest's limit for one `extra` item. */
const MAX_SERIALIZED_BYTES = 16 * 1024;
const MAX_KEYS_IN_MESSAGE_LENGTH = 40;
const DEFAULT_NORMALIZE_DEPTH = 3;

export interface EventFromInputOptions {
  /** Exception values longer than this are truncated; defaults to 8192 characters. */
  maxValueLength?: number;
  /** Depth for serialising non-error objects into `extra.__serialized__`; defaults to 3. */
  normalizeDepth?: number;
}

function readProperty(target: unknown, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function hasProperty(target: object, key: string): boolean {
  try {
    return key in target;
  } catch {
    return false;
  }
}

/** Errors from this realm, other realms (iframes, vm contexts) and `{ name, message, stack? }` look-alikes. */
function isErrorLike(value: unknown): value is Error {
  try {
    if (value instanceof Error) return true;
    if (typeof value !== 'object' || value === null) return false;
    const tag = Object.prototype.toString.call(value);
    if (tag === '[object Error]' || tag === '[object DOMException]') return true;
    const stack = readProperty(value, 'stack');
    return (
      typeof readProperty(value, 'name') === 'string' &&
      typeof readProperty(value, 'message') === 'string' &&
      (stack === undefined || typeof stack === 'string')
    );
  } catch {
    return false;
  }
}

function parseStack(stackParser: StackParser, stack: unknown): StackFrame[] {
  if (typeof stack !== 'string') return [];
  try {
    return stackParser(stack);
  } catch {
    return [];
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const normalized = normalize(value);
  return typeof normalized === 'string' ? normalized : JSON.stringify(normalized);
}

/** One exception value for an error: type from its name (or class), value from its message, parsed frames. */
export function exceptionFromError(stackParser: StackParser, error: Error): Exception {
  const name = readProperty(error, 'name');
  const message = readProperty(error, 'message');
  const exception: Exception = {
    type: typeof name === 'string' && name ? name : constructorName(error) || 'Error',
    value: message === undefined || message === '' ? 'No error message' : describeValue(message),
  };
  const frames = parseStack(stackParser, readProperty(error, 'stack'));
  if (frames.length > 0) exception.stacktrace = { frames };
  return exception;
}

function linkedChildren(error: Error): Array<{ child: unknown; source: string }> {
  const children: Array<{ child: unknown; source: string }> = [];
  const cause = readProperty(error, 'cause');
  if (cause !== undefined) children.push({ child: cause, source: 'cause' });
  try {
    const errors = readProperty(error, 'errors');
    if (Array.isArray(errors)) {
      const count = Math.min(errors.length, MAX_EXCEPTION_VALUES);
      for (let i = 0; i < count; i++)
        children.push({ child: readProperty(errors, String(i)), source: `errors[${i}]` });
    }
  } catch {
    // A hostile `errors` value only costs the group members.
  }
  return children;
}

/**
 * The thrown error plus its `cause` chain and `errors` members, depth first, numbered in discovery
 * order (thrown error = 0) and returned oldest → newest: the deepest cause first, the thrown error last.
 */
function exceptionsFromErrorTree(stackParser: StackParser, root: Error): Exception[] {
  const discovered: Exception[] = [exceptionFromError(stackParser, root)];
  const seen = new Set<unknown>([root]);

  const walk = (error: Error, id: number): void => {
    for (const { child, source } of linkedChildren(error)) {
      if (discovered.length >= MAX_EXCEPTION_VALUES) return;
      if (seen.has(child) || !isErrorLike(child)) continue;
      seen.add(child);
      const parent = discovered[id];
      parent.mechanism = { ...parent.mechanism, exception_id: id } as Mechanism;
      if (source !== 'cause') parent.mechanism.is_exception_group = true;
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

function describePrimitive(value: unknown): string {
  try {
    return typeof value === 'function' ? describeValue(value) : String(value);
  } catch (error) {
    return `**non-serializable** (${describeThrown(error)})`;
  }
}

function keysForMessage(keys: string[]): string {
  const sorted = [...keys].sort();
  if (sorted.length === 0) return '[object has no keys]';
  let joined = truncate(sorted[0], MAX_KEYS_IN_MESSAGE_LENGTH);
  for (let i = 1; i < sorted.length; i++) {
    const next = `${joined}, ${sorted[i]}`;
    if (next.length > MAX_KEYS_IN_MESSAGE_LENGTH) return `${joined}, ...`;
    joined = next;
  }
  return joined;
}

function ownKeys(object: object): string[] {
  try {
    return Object.keys(object);
  } catch {
    return [];
  }
}

function describeEventTarget(target: unknown): string | undefined {
  if (typeof target !== 'object' || target === null) return undefined;
  const tagName = readProperty(target, 'tagName') ?? readProperty(target, 'nodeName');
  if (typeof tagName === 'string' && tagName) {
    const id = readProperty(target, 'id');
    const className = readProperty(target, 'className');
    const src = readProperty(target, 'src');
    let description = tagName.toLowerCase();
    if (typeof id === 'string' && id) description += `#${id}`;
    if (typeof className === 'string' && className.trim())
      description += `.${className.trim().split(/\s+/).join('.')}`;
    if (typeof src === 'string' && src) description += ` src=${src}`;
    return description;
  }
  const name = constructorName(target) || 'Object';
  const url = readProperty(target, 'url');
  return typeof url === 'string' && url ? `${name} ${url}` : name;
}

interface NonErrorDescription {
  type: string;
  value: string;
  serialized?: unknown;
}

function describeObject(input: object, normalizeDepth: number): NonErrorDescription {
  const className = constructorName(input);
  const status = readProperty(input, 'status');
  const statusText = readProperty(input, 'statusText');
  const url = readProperty(input, 'url');
  if (typeof status === 'number' && typeof statusText === 'string' && typeof url === 'string') {
    const method = readProperty(input, 'method');
    const request = [typeof method === 'string' ? method : '', url].filter(Boolean).join(' ');
    const value = `Non-Error exception captured: HTTP ${[status, statusText].join(' ').trim()}${request ? ` (${request})` : ''}`;
    return {
      type: className === 'Response' ? 'Response' : 'Error',
      value,
      serialized: { status, statusText, url },
    };
  }

  const eventType = readProperty(input, 'type');
  const isTrusted = readProperty(input, 'isTrusted');
  if (typeof eventType === 'string' && typeof isTrusted === 'boolean' && hasProperty(input, 'target')) {
    const eventClass = className && className !== 'Object' ? className : 'Event';
    const target = describeEventTarget(readProperty(input, 'target'));
    const value = `Event \`${eventClass}\` (type=${eventType}) captured as exception${target ? ` (target: ${target})` : ''}`;
    return { type: eventClass, value, serialized: { type: eventType, isTrusted, target: target ?? null } };
  }

  const serialized = normalizeToSize(input, normalizeDepth, MAX_SERIALIZED_BYTES);
  const message = readProperty(input, 'message');
  if (typeof message === 'string' && message) return { type: 'Error', value: message, serialized };
  const label = className && className !== 'Object' ? `'${className}'` : 'Object';
  return {
    type: 'Error',
    value: `${label} captured as exception with keys: ${keysForMessage(ownKeys(input))}`,
    serialized,
  };
}

function describeNonError(input: unknown, normalizeDepth: number): NonErrorDescription {
  if (typeof input === 'string') return { type: 'Error', value: input };
  if (typeof input === 'object' && input !== null) {
    try {
      return describeObject(input, normalizeDepth);
    } catch (error) {
      return { type: 'Error', value: `Non-Error exception captured (${describeThrown(error)})` };
    }
  }
  return { type: 'Error', value: `Non-Error exception captured with value: ${describePrimitive(input)}` };
}

/** ErrorEvent-like objects carry the real error; capturing that beats describing the event. */
function unwrapEventError(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || isErrorLike(input)) return input;
  const error = readProperty(input, 'error');
  return typeof readProperty(input, 'type') === 'string' && isErrorLike(error) ? error : input;
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
  const maxValueLength = options.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH;
  const input = unwrapEventError(exception);
  const event: Event = { level: 'error' };
  let values: Exception[];
  let synthetic = false;

  if (isErrorLike(input)) {
    values = exceptionsFromErrorTree(stackParser, input);
  } else {
    synthetic = true;
    const description = describeNonError(input, options.normalizeDepth ?? DEFAULT_NORMALIZE_DEPTH);
    const value: Exception = { type: description.type, value: description.value };
    const frames = parseStack(stackParser, readProperty(hint?.syntheticException, 'stack'));
    if (frames.length > 0) value.stacktrace = { frames };
    values = [value];
    if (description.serialized !== undefined) event.extra = { __serialized__: description.serialized };
  }

  const top = values[values.length - 1];
  top.mechanism = {
    type: 'generic',
    handled: true,
    ...(synthetic ? { synthetic: true } : {}),
    ...hint?.mechanism,
    ...top.mechanism,
    ...(values.length > 1 ? { exception_id: 0 } : {}),
  };
  for (const value of values) {
    if (value !== top)
      value.mechanism = { ...(value.mechanism as Mechanism), handled: top.mechanism.handled };
    if (value.value !== undefined) value.value = truncate(value.value, maxValueLength);
  }

  event.exception = { values };
  if (hint?.event_id) event.event_id = hint.event_id;
  return event;
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
  const event: Event = { level, message: text };
  if (hint?.event_id) event.event_id = hint.event_id;
  if (attachStacktrace && hint?.syntheticException) {
    const frames = parseStack(stackParser, readProperty(hint.syntheticException, 'stack'));
    if (frames.length > 0) {
      const mechanism: Mechanism = { type: 'generic', handled: true, synthetic: true };
      event.exception = { values: [{ value: text, stacktrace: { frames }, mechanism }] };
    }
  }
  return event;
}
