/**
 * Automatic breadcrumbs: console calls, clicks and typing (the target element only), fetch and XHR
 * requests (method, URL, status) and history navigations. The SDK's own requests leave none.
 */
import {
  addBreadcrumb,
  type Breadcrumb,
  type Client,
  envelopeEndpoint,
  getClient,
  type Integration,
  type SeverityLevel,
} from '@faultline/core';
import { htmlTreeAsString } from '../html-tree';
import { addFetchHandler } from '../instrument/fetch';
import { addHistoryHandler } from '../instrument/history';
import { addXhrHandler } from '../instrument/xhr';

export interface BreadcrumbsOptions {
  console?: boolean;
  dom?: boolean;
  fetch?: boolean;
  xhr?: boolean;
  history?: boolean;
}

const CONSOLE_LEVELS: Record<string, SeverityLevel> = {
  debug: 'debug',
  info: 'info',
  log: 'info',
  warn: 'warning',
  error: 'error',
  assert: 'error',
};
const MAX_MESSAGE_LENGTH = 1024;
const TYPING_PAUSE_MS = 1000;

export function breadcrumbsIntegration(options: BreadcrumbsOptions = {}): Integration {
  return {
    name: 'Breadcrumbs',
    setupOnce() {
      if (options.console !== false) instrumentConsole();
      if (options.dom !== false) instrumentDom();
      if (options.fetch !== false) {
        addFetchHandler({
          end(call) {
            const status = call.response?.status;
            requestBreadcrumb('fetch', call.method, call.url, status, call.error !== undefined);
          },
        });
      }
      if (options.xhr !== false) {
        addXhrHandler({
          end(call) {
            requestBreadcrumb('xhr', call.method, call.url, call.status || undefined, !call.status);
          },
        });
      }
      if (options.history !== false) {
        addHistoryHandler(({ from, to }) =>
          record({ category: 'navigation', data: { from: relativeUrl(from), to: relativeUrl(to) } }),
        );
      }
    },
  };
}

/** Only while a client of this SDK is active; a failing breadcrumb never reaches the page. */
function record(breadcrumb: Breadcrumb): void {
  try {
    if (getClient()) addBreadcrumb(breadcrumb);
  } catch {
    // Breadcrumbs are best effort.
  }
}

function instrumentConsole(): void {
  const target = globalThis.console as unknown as Record<string, (...args: unknown[]) => void>;
  if (!target) return;
  for (const level of Object.keys(CONSOLE_LEVELS)) {
    const original = target[level];
    if (typeof original !== 'function') continue;
    target[level] = function (this: unknown, ...args: unknown[]) {
      if (level !== 'assert' || !args[0]) {
        const shown = level === 'assert' ? args.slice(1) : args;
        const message = shown.map(describeArgument).join(' ').slice(0, MAX_MESSAGE_LENGTH);
        record({
          category: 'console',
          level: CONSOLE_LEVELS[level],
          message: level === 'assert' ? `Assertion failed: ${message || 'console.assert'}` : message,
          data: { logger: 'console' },
        });
      }
      return original.apply(this, args);
    };
  }
}

function describeArgument(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function instrumentDom(): void {
  const doc = globalThis.document;
  if (!doc) return;
  let typingIn: EventTarget | null = null;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  doc.addEventListener(
    'click',
    (event) => record({ category: 'ui.click', message: htmlTreeAsString(event.target) }),
    { capture: true, passive: true },
  );
  doc.addEventListener(
    'keypress',
    (event) => {
      const target = event.target as HTMLElement | null;
      if (!target || !isEditable(target)) return;
      // One breadcrumb per burst of typing in one field; the keys themselves are never recorded.
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => {
        typingIn = null;
      }, TYPING_PAUSE_MS);
      if (typingIn === target) return;
      typingIn = target;
      record({ category: 'ui.input', message: htmlTreeAsString(target) });
    },
    { capture: true, passive: true },
  );
}

function isEditable(element: HTMLElement): boolean {
  return element.tagName === 'INPUT' || element.tagName === 'TEXTAREA' || element.isContentEditable;
}

function requestBreadcrumb(
  category: 'fetch' | 'xhr',
  method: string,
  url: string,
  status: number | undefined,
  failed: boolean,
): void {
  const client = getClient();
  if (!client || isSdkRequest(client, url)) return;
  const data: Record<string, unknown> = { method, url };
  if (status !== undefined) data.status_code = status;
  const level: SeverityLevel | undefined =
    failed || (status !== undefined && status >= 500)
      ? 'error'
      : status !== undefined && status >= 400
        ? 'warning'
        : undefined;
  record({ type: 'http', category, data, ...(level ? { level } : {}) });
}

function isSdkRequest(client: Client, url: string): boolean {
  const dsn = client.getDsn();
  return dsn !== undefined && url.startsWith(envelopeEndpoint(dsn));
}

/** Same-origin URLs without the origin, as navigation breadcrumbs show them. */
function relativeUrl(href: string): string {
  const origin = globalThis.location?.origin;
  return origin && href.startsWith(origin) ? href.slice(origin.length) || '/' : href;
}
