/**
 * History changes of a single-page app (`pushState`, `replaceState`, back/forward), shared by
 * navigation breadcrumbs and navigation transactions. Handlers hear only changes of the URL.
 */

export interface HistoryChange {
  from: string;
  to: string;
}

type HistoryHandler = (change: HistoryChange) => void;

const handlers: HistoryHandler[] = [];
let lastHref: string | undefined;

export function addHistoryHandler(handler: HistoryHandler): void {
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
  const from = lastHref!;
  const to = location.href;
  if (from === to) return;
  lastHref = to;
  for (const handler of handlers) {
    try {
      handler({ from, to });
    } catch {
      // A failing handler must not break the page's navigation.
    }
  }
}
