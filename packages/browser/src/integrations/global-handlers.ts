/**
 * Uncaught errors and unhandled promise rejections of the page, reported as unhandled
 * (`auto.browser.global_handlers.onerror` / `.onunhandledrejection`). An error already captured by
 * a wrapped callback is not reported twice. A "Script error." (a script on another origin without
 * CORS, whose details the browser hides) carries nothing to act on: it becomes an event the
 * default `ignoreErrors` drop, unless the user turns those off.
 */
import {
  checkOrMarkCaptured,
  type Event,
  type EventHint,
  eventFromUnknownInput,
  getClient,
  type Integration,
  type Mechanism,
  type StackFrame,
} from '@faultline/core';
import { shouldIgnoreOnError } from '../ignore-next-onerror';

export interface GlobalHandlersOptions {
  onerror?: boolean;
  onunhandledrejection?: boolean;
}

const MESSAGE_WITH_TYPE = /^(?:Uncaught )?(\w*Error): ?(.*)$/s;

export function globalHandlersIntegration(options: GlobalHandlersOptions = {}): Integration {
  return {
    name: 'GlobalHandlers',
    setupOnce() {
      if (typeof addEventListener !== 'function') return;
      if (options.onerror !== false) {
        addEventListener('error', (event) => {
          if (!(event instanceof ErrorEvent) || shouldIgnoreOnError()) return;
          capture(event.error, 'onerror', event);
        });
      }
      if (options.onunhandledrejection !== false) {
        addEventListener('unhandledrejection', (event) => {
          const detail = (event as unknown as { detail?: { reason?: unknown } }).detail;
          capture('reason' in event ? event.reason : detail?.reason, 'onunhandledrejection');
        });
      }
    },
  };
}

function capture(error: unknown, handler: string, errorEvent?: ErrorEvent): void {
  const client = getClient();
  if (!client || (error != null && checkOrMarkCaptured(error))) return;
  const mechanism: Mechanism = { type: `auto.browser.global_handlers.${handler}`, handled: false };
  const hint: EventHint = { originalException: error, mechanism };
  const event =
    error == null && errorEvent
      ? eventFromMessageOnly(errorEvent.message, mechanism)
      : eventFromUnknownInput(client.getOptions().stackParser, error, hint, client.getOptions());
  if (errorEvent) addInitialFrame(event, errorEvent);
  client.captureEvent(event, hint);
}

/** An `error` event without an error object: all there is, is the message and where. */
function eventFromMessageOnly(message: string, mechanism: Mechanism): Event {
  const match = MESSAGE_WITH_TYPE.exec(message ?? '');
  return {
    level: 'error',
    exception: {
      values: [{ type: match?.[1] || 'Error', value: match ? match[2] : String(message), mechanism }],
    },
  };
}

/** The location the browser reported, when the error brought no stack of its own (a thrown string). */
function addInitialFrame(event: Event, errorEvent: ErrorEvent): void {
  const values = event.exception?.values;
  const top = values?.[values.length - 1];
  if (!top || top.stacktrace?.frames?.length) return;
  const filename = errorEvent.filename || globalThis.location?.href;
  if (!filename) return;
  const frame: StackFrame = { filename, function: '?', in_app: true };
  if (errorEvent.lineno) frame.lineno = errorEvent.lineno;
  if (errorEvent.colno) frame.colno = errorEvent.colno;
  top.stacktrace = { frames: [frame] };
}
