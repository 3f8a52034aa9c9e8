/**
 * When a page may be about to go away: `pagehide` (navigation, close, back/forward cache) and
 * `visibilitychange` to hidden (tab or app switch, after which mobile browsers may kill the page
 * without a `pagehide`). From then on, only requests started right away are certain to leave.
 */
export function onPageHidden(callback: (cause: 'pagehide' | 'visibilitychange') => void): void {
  const doc = globalThis.document;
  if (!doc) return;
  addEventListener('pagehide', () => callback('pagehide'));
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'hidden') callback('visibilitychange');
  });
}

/** The page is shown again: back from the back/forward cache, or its tab visible again. */
export function onPageShown(callback: (cause: 'pageshow' | 'visibilitychange') => void): void {
  const doc = globalThis.document;
  if (!doc) return;
  addEventListener('pageshow', (event) => {
    if ((event as PageTransitionEvent).persisted) callback('pageshow');
  });
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'visible') callback('visibilitychange');
  });
}
