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
  eventFromUnknownInput,
  getClient,
  type Integration,
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
          if (event instanceof ErrorEvent && !shouldIgnoreOnError()) capture(event.error, 'onerror', event);
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
  const options = client.getOptions();
  const mechanism = { type: `auto.browser.global_handlers.${handler}`, handled: false };
  const hint = { originalException: error, mechanism };
  let event: Event;
  if (error == null && errorEvent) {
    // An `error` event without an error object: all there is, is the message and where.
    const { message } = errorEvent;
    const [, type = 'Error', value = message] = MESSAGE_WITH_TYPE.exec(message) ?? [];
    event = { level: 'error', exception: { values: [{ type, value, mechanism }] } };
  } else {
    event = eventFromUnknownInput(options.stackParser, error, hint, options);
  }
  // The location the browser reported, when the error brought no stack of its own (a thrown string).
  const values = event.exception?.values;
  const top = values?.[values.length - 1];
  const filename = errorEvent && (errorEvent.filename || globalThis.location?.href);
  if (filename && top && !top.stacktrace?.frames?.length) {
    const { lineno, colno } = errorEvent!;
    const frame: StackFrame = { filename, function: '?', in_app: true };
    if (lineno) frame.lineno = lineno;
    if (colno) frame.colno = colno;
    top.stacktrace = { frames: [frame] };
  }
  client.captureEvent(event, hint);
}
