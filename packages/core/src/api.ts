/** The top-level API: thin calls on the client and scopes of the current execution context. */

import { debug } from './debug-logger';
import { eventFromMessage } from './exception-from-error';
import { getClient, getCurrentScope, getIsolationScope } from './hub';
import { Scope } from './scope';
import { dateTimestampInSeconds } from './time';
import type {
  Breadcrumb,
  BreadcrumbHint,
  CaptureContext,
  Context,
  Event,
  EventHint,
  EventProcessor,
  SeverityLevel,
  User,
} from './types/event';

type Primitive = string | number | boolean | undefined;
type HintOrContext = EventHint | CaptureContext | ((scope: Scope) => Scope) | Scope;

const CAPTURE_CONTEXT_KEYS = ['user', 'level', 'extra', 'contexts', 'tags', 'fingerprint'];

/** Captures an error (or anything thrown). Returns the event id. */
export function captureException(exception: unknown, hintOrContext?: HintOrContext): string {
  const { hint, scope } = splitHint(hintOrContext);
  return getClient()?.captureException(exception, hint, scope) ?? hint.event_id ?? '';
}

/**
 * Captures a message, level `info` unless given. Returns the event id. The event is built here, not
 * by the client, so bundles that never capture messages do not carry the builder.
 */
export function captureMessage(message: string, levelOrContext?: SeverityLevel | HintOrContext): string {
  const isLevel = typeof levelOrContext === 'string';
  const { hint, scope } = splitHint(isLevel ? undefined : levelOrContext);
  const client = getClient();
  if (!client) return '';
  const { stackParser, attachStacktrace } = client.getOptions();
  const event = eventFromMessage(
    stackParser,
    String(message),
    isLevel ? levelOrContext : 'info',
    hint,
    attachStacktrace,
  );
  return client.captureEvent(event, hint, scope);
}

export function captureEvent(event: Event, hint?: EventHint): string {
  const { hint: resolved, scope } = splitHint(hint);
  return getClient()?.captureEvent(event, resolved, scope) ?? '';
}

/** The id of the last error event captured in this isolation scope (a request, a job). */
export function lastEventId(): string | undefined {
  return getIsolationScope().lastEventId();
}

export function setUser(user: User | null): void {
  getIsolationScope().setUser(user);
}

export function setTag(key: string, value: Primitive): void {
  getIsolationScope().setTag(key, value);
}

export function setTags(tags: Record<string, Primitive>): void {
  getIsolationScope().setTags(tags);
}

export function setExtra(key: string, extra: unknown): void {
  getIsolationScope().setExtra(key, extra);
}

export function setExtras(extras: Record<string, unknown>): void {
  getIsolationScope().setExtras(extras);
}

export function setContext(name: string, context: Context | null): void {
  getIsolationScope().setContext(name, context);
}

/** Records a breadcrumb on the isolation scope, through `beforeBreadcrumb`. */
export function addBreadcrumb(breadcrumb: Breadcrumb, hint?: BreadcrumbHint): void {
  recordBreadcrumb(getIsolationScope(), breadcrumb, hint);
}

/**
 * Records a breadcrumb on a given scope, through the client's `beforeBreadcrumb` and limit: for
 * instrumentation that finishes outside the context where its work started (a response arriving).
 */
export function recordBreadcrumb(scope: Scope, breadcrumb: Breadcrumb, hint?: BreadcrumbHint): void {
  const client = getClient();
  if (!client) return;
  const { beforeBreadcrumb, maxBreadcrumbs = 100 } = client.getOptions();
  if (maxBreadcrumbs <= 0) return;
  // Copied (and timestamped) once: here for beforeBreadcrumb, which may edit it, else by the scope.
  let final: Breadcrumb | null = breadcrumb;
  if (beforeBreadcrumb) {
    final = { timestamp: dateTimestampInSeconds(), ...breadcrumb };
    try {
      final = beforeBreadcrumb(final, hint);
    } catch (error) {
      debug.errorOnce(`beforeBreadcrumb threw, breadcrumb kept: ${String(error)}`);
    }
  }
  if (final) scope.addBreadcrumb(final, maxBreadcrumbs);
}

/** Adds a processor that runs on every event captured in this isolation scope. */
export function addEventProcessor(processor: EventProcessor): void {
  getIsolationScope().addEventProcessor(processor);
}

/** Waits up to `timeout` ms for queued events to be sent. Resolves false when there is no client or time ran out. */
export async function flush(timeout?: number): Promise<boolean> {
  const client = getClient();
  return client ? client.flush(timeout) : false;
}

/** Flushes, then disables the SDK. */
export async function close(timeout?: number): Promise<boolean> {
  const client = getClient();
  return client ? client.close(timeout) : false;
}

/** Separates event hints from capture-time scope data, which goes on a fork of the current scope. */
function splitHint(input: HintOrContext | undefined): { hint: EventHint; scope: Scope } {
  const current = getCurrentScope();
  if (typeof input === 'function') {
    const fork = current.clone();
    return { hint: {}, scope: input(fork) ?? fork };
  }
  const isContext =
    input instanceof Scope || (!!input && CAPTURE_CONTEXT_KEYS.some((key) => key in (input as object)));
  const hint = (isContext || !input ? {} : input) as EventHint;
  const context = isContext ? (input as CaptureContext | Scope) : hint.captureContext;
  return { hint, scope: context ? current.clone().update(context) : current };
}
