/**
 * Automatic breadcrumbs: console calls, clicks and typing (the target element only), fetch and XHR
 * requests (method, URL, status) and history navigations. The SDK's own requests leave none.
 */
import { addBreadcrumb, type Integration, type SeverityLevel, truncate } from '@faultline/core';
import { htmlTreeAsString } from '../html-tree';
import { addHistoryHandler } from '../instrument/history';
import { addRequestHandler } from '../instrument/requests';
import { safely } from '../instrument/safely';

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
      addRequestHandler(
        [options.fetch !== false && 'fetch', options.xhr !== false && 'xhr'],
        ({ type, method, url }) =>
          (status) => {
            addBreadcrumb({
              type: 'http',
              category: type,
              data: status === undefined ? { method, url } : { method, url, status_code: status },
              level: status === undefined || status >= 500 ? 'error' : status >= 400 ? 'warning' : undefined,
            });
          },
      );
      if (options.history !== false) {
        addHistoryHandler(({ from, to }) =>
          addBreadcrumb({ category: 'navigation', data: { from: relativeUrl(from), to: relativeUrl(to) } }),
        );
      }
    },
  };
}

function instrumentConsole(): void {
  const target = globalThis.console as unknown as Record<string, (...args: unknown[]) => void>;
  if (!target) return;
  for (const level in CONSOLE_LEVELS) {
    const original = target[level];
    if (typeof original === 'function')
      target[level] = function (this: unknown, ...args: unknown[]) {
        // Breadcrumbs are best effort: a failing one never reaches the page's console call.
        safely(consoleBreadcrumb, level, args);
        return original.apply(this, args);
      };
  }
}

function consoleBreadcrumb(level: string, args: unknown[]): void {
  const assert = level === 'assert';
  if (assert && args[0]) return;
  // truncate, not a slice: the breadcrumb outlives the call, and a slice would keep the whole joined
  // text alive.
  const message = truncate(
    (assert ? args.slice(1) : args).map(describeArgument).join(' '),
    MAX_MESSAGE_LENGTH,
  );
  addBreadcrumb({
    category: 'console',
    level: CONSOLE_LEVELS[level],
    message: assert ? `Assertion failed: ${message || 'console.assert'}` : message,
    data: { logger: 'console' },
  });
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
  const listen = { capture: true, passive: true };
  let typingIn: EventTarget | undefined;
  let lastKeypress = 0;
  const element = (category: string, target: EventTarget | null) =>
    safely(addBreadcrumb, { category, message: htmlTreeAsString(target) });
  doc.addEventListener('click', (event) => element('ui.click', event.target), listen);
  doc.addEventListener(
    'keypress',
    (event) => {
      const target = event.target as HTMLElement | null;
      if (!(target?.tagName === 'INPUT' || target?.tagName === 'TEXTAREA' || target?.isContentEditable))
        return;
      // One breadcrumb per burst of typing in one field (a pause ends a burst); the keys themselves
      // are never recorded.
      const now = Date.now();
      if (typingIn !== target || now - lastKeypress > TYPING_PAUSE_MS) element('ui.input', target);
      typingIn = target;
      lastKeypress = now;
    },
    listen,
  );
}

/** Same-origin URLs without the origin, as navigation breadcrumbs show them. */
function relativeUrl(href: string): string {
  const origin = globalThis.location?.origin;
  return origin && href.startsWith(origin) ? href.slice(origin.length) || '/' : href;
}
