/**
 * When a page may be about to go away: `pagehide` (navigation, close, back/forward cache) and
 * `hidden` (tab or app switch, after which mobile browsers may kill the page without a `pagehide`).
 * From then on, only requests started right away are certain to leave. And when it is back:
 * `pageshow` from the back/forward cache, or `visible` again.
 */
export type PageChange = 'pagehide' | 'hidden' | 'pageshow' | 'visible';

export function onPageChange(callback: (change: PageChange) => void): void {
  const doc = globalThis.document;
  if (!doc) return;
  addEventListener('pagehide', () => callback('pagehide'));
  addEventListener('pageshow', (event) => {
    if ((event as PageTransitionEvent).persisted) callback('pageshow');
  });
  doc.addEventListener('visibilitychange', () => callback(doc.visibilityState));
}
