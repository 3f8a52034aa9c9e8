/**
 * History changes of a single-page app (`pushState`, `replaceState`, back/forward), shared by
 * navigation breadcrumbs and navigation transactions. Handlers hear only changes of the URL.
 */
import { safely } from './safely';

export interface HistoryChange {
  from: string;
  to: string;
}

const handlers: Array<(change: HistoryChange) => void> = [];
let lastHref: string | undefined;

export function addHistoryHandler(handler: (change: HistoryChange) => void): void {
  handlers.push(handler);
  if (lastHref !== undefined || typeof history === 'undefined' || !globalThis.location) return;
  lastHref = location.href;
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      changed();
      return result;
    };
  }
  addEventListener('popstate', changed);
}

function changed(): void {
  const change = { from: lastHref!, to: location.href };
  if (change.from === change.to) return;
  lastHref = change.to;
  for (const handler of handlers) safely(handler, change);
}
