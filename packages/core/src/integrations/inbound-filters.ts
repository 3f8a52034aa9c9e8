/**
 * Drops events the user asked to ignore (`ignoreErrors`, `ignoreTransactions`, `denyUrls`,
 * `allowUrls`) before any other processing, as the protocol's pipeline orders it.
 */
import { debug } from '../debug-logger';
import { matchesAnyPattern } from '../string-matching';
import type { Event } from '../types/event';
import type { Integration } from '../types/integration';

/** Noise no application wants: errors from other origins' scripts and known browser quirks. */
const DEFAULT_IGNORE_ERRORS: Array<string | RegExp> = [
  /^Script error\.?$/,
  /^Javascript error: Script error\.? on line 0$/,
  /^ResizeObserver loop completed with undelivered notifications\.$/,
  /^Can't find variable: gmo$/,
  "undefined is not an object (evaluating 'a.L')",
];

export interface InboundFiltersOptions {
  ignoreErrors?: Array<string | RegExp>;
  ignoreTransactions?: Array<string | RegExp>;
  denyUrls?: Array<string | RegExp>;
  allowUrls?: Array<string | RegExp>;
  /** Keep the default ignore list (default true). */
  useDefaultIgnoreErrors?: boolean;
}

export function inboundFiltersIntegration(integrationOptions: InboundFiltersOptions = {}): Integration {
  return {
    name: 'InboundFilters',
    processEvent(event, _hint, client) {
      const options = client.getOptions();
      const ignoreErrors = [
        ...(integrationOptions.useDefaultIgnoreErrors === false ? [] : DEFAULT_IGNORE_ERRORS),
        ...(integrationOptions.ignoreErrors ?? []),
        ...(options.ignoreErrors ?? []),
      ];
      const ignoreTransactions = [
        ...(integrationOptions.ignoreTransactions ?? []),
        ...(options.ignoreTransactions ?? []),
      ];
      const denyUrls = [...(integrationOptions.denyUrls ?? []), ...(options.denyUrls ?? [])];
      const allowUrls = [...(integrationOptions.allowUrls ?? []), ...(options.allowUrls ?? [])];

      if (event.type === 'transaction') {
        if (event.transaction && matchesAnyPattern(event.transaction, ignoreTransactions)) {
          return drop(`transaction "${event.transaction}" matches ignoreTransactions`);
        }
        return event;
      }
      if (
        ignoreErrors.length &&
        messagesOf(event).some((message) => matchesAnyPattern(message, ignoreErrors))
      ) {
        return drop('the error matches ignoreErrors');
      }
      const url = eventUrl(event);
      if (url && denyUrls.length && matchesAnyPattern(url, denyUrls)) return drop(`${url} matches denyUrls`);
      if (url && allowUrls.length && !matchesAnyPattern(url, allowUrls))
        return drop(`${url} is not in allowUrls`);
      return event;
    },
  };
}

function drop(reason: string): null {
  debug.log(`Event dropped by inbound filters: ${reason}`);
  return null;
}

function messagesOf(event: Event): string[] {
  const messages: string[] = [];
  if (event.message) messages.push(event.message);
  if (event.logentry?.message) messages.push(event.logentry.message);
  const last = event.exception?.values?.[event.exception.values.length - 1];
  if (last) {
    if (last.value) messages.push(last.value);
    if (last.type) messages.push(last.value ? `${last.type}: ${last.value}` : last.type);
  }
  return messages;
}

/** The file the error was thrown in: the newest frame that has a filename (frames are oldest first). */
function eventUrl(event: Event): string | undefined {
  const values = event.exception?.values ?? [];
  const frames = values[values.length - 1]?.stacktrace?.frames ?? [];
  for (let i = frames.length - 1; i >= 0; i--) {
    const filename = frames[i]!.filename;
    if (filename && filename !== '<anonymous>' && filename !== '[native code]') return filename;
  }
  return undefined;
}
