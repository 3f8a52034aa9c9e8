/**
 * Drops events the user asked to ignore (`ignoreErrors`, `ignoreTransactions`, `denyUrls`,
 * `allowUrls`) before any other processing, as the protocol's pipeline orders it.
 */
import { debug } from '../debug-logger';
import { matchesAnyPattern } from '../string-matching';
import type { Integration } from '../types/integration';

/** Noise no application wants: errors from other origins' scripts and known browser quirks. */
const DEFAULT_IGNORE_ERRORS: Array<string | RegExp> = [
  /^Script error\.?$/,
  /^Javascript error: Script error\.? on line 0$/,
  /^ResizeObserver loop completed with undelivered notifications\.$/,
  /^Can't find variable: gmo$/,
  "undefined is not an object (evaluating 'a.L')",
];

/**
 * Scripts the page did not ship: browser extensions (content scripts, injected wallets, ad
 * blockers) and the browser's own. Their errors reach `window.onerror` like the app's; they are
 * denied by default, unless `allowUrls` names them.
 */
const EXTENSION_URL = /^([a-z-]*extension|chrome|resource|webkit-masked-url):/;

export interface InboundFiltersOptions {
  ignoreErrors?: Array<string | RegExp>;
  ignoreTransactions?: Array<string | RegExp>;
  denyUrls?: Array<string | RegExp>;
  allowUrls?: Array<string | RegExp>;
  /** Keep the default ignore list (default true). */
  useDefaultIgnoreErrors?: boolean;
}

type PatternOption = 'ignoreErrors' | 'ignoreTransactions' | 'denyUrls' | 'allowUrls';

export function inboundFiltersIntegration(integrationOptions: InboundFiltersOptions = {}): Integration {
  return {
    name: 'InboundFilters',
    processEvent(event, _hint, client) {
      const options = client.getOptions();
      // The integration's own patterns, then the client options'.
      const patterns = (key: PatternOption) => [...(integrationOptions[key] ?? []), ...(options[key] ?? [])];
      const drop = (reason: string): null => {
        debug.log(`Event dropped by inbound filters: ${reason}`);
        return null;
      };
      const name = event.transaction;
      if (event.type === 'transaction')
        return name && matchesAnyPattern(name, patterns('ignoreTransactions'))
          ? drop(`transaction "${name}" matches ignoreTransactions`)
          : event;

      const ignoreErrors = [
        ...(integrationOptions.useDefaultIgnoreErrors === false ? [] : DEFAULT_IGNORE_ERRORS),
        ...patterns('ignoreErrors'),
      ];
      const values = event.exception?.values ?? [];
      const last = values[values.length - 1];
      const messages = [
        event.message,
        event.logentry?.message,
        last?.value,
        last?.type && (last.value ? `${last.type}: ${last.value}` : last.type),
      ];
      if (messages.some((message) => message && matchesAnyPattern(message, ignoreErrors)))
        return drop('the error matches ignoreErrors');

      // The file the error was thrown in: the newest frame that has a filename (frames are oldest first).
      const url = (last?.stacktrace?.frames ?? [])
        .map((frame) => frame.filename)
        .filter((filename) => filename && !/^(<anonymous>|\[native code\])$/.test(filename))
        .pop();
      if (!url) return event;
      if (matchesAnyPattern(url, patterns('denyUrls'))) return drop(`${url} matches denyUrls`);
      const allowUrls = patterns('allowUrls');
      // Extensions' scripts too, unless allowUrls names them (an extension reporting its own errors).
      if ((allowUrls.length || EXTENSION_URL.test(url)) && !matchesAnyPattern(url, allowUrls))
        return drop(`${url} is not in allowUrls`);
      return event;
    },
  };
}
