/**
 * A page that logs, fetches, throws (top-level script, event listener, timer) and rejects, in real
 * Chromium: each error arrives once, unhandled, with browser stack frames, the page's breadcrumbs in
 * order, the page URL and user agent, schema-valid; the release-health session follows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import type { Breadcrumb, Event, Exception } from '../../core/src/types/event';
import { type Browser, launchChromium, type PageServer, page, startPageServer } from './browser-harness';
import { expectValidSession } from './session-checks';

const APP_JS = `function failInListener() {
  throw new Error('listener failed');
}
function onCheckoutClick() {
  failInListener();
}
document.getElementById('checkout').addEventListener('click', onCheckoutClick);
function tick() {
  throw new TypeError('timer failed');
}
window.startTimer = function startTimer() {
  setTimeout(tick, 0);
};
window.rejectLater = function rejectLater() {
  Promise.reject(new RangeError('promise rejected'));
};
`;

const TOP_LEVEL_JS = `function loadConfig() {
  throw new SyntaxError('top-level failure');
}
loadConfig();
`;

describe('errors in a real browser', () => {
  let ingest: TestIngest;
  let server: PageServer;
  let browser: Browser;
  let events: Event[];

  beforeAll(async () => {
    ingest = await startIngest();
    server = await startPageServer();
    browser = await launchChromium();
    server.route('/app.js', APP_JS);
    server.route('/top-level.js', TOP_LEVEL_JS);
    server.route('/api/ping', (_req, res) => void res.writeHead(204).end());
    server.route(
      '/shop',
      page({
        init: JSON.stringify({ dsn: ingest.dsn, release: 'shop@1.2.3', environment: 'test' }),
        body: '<main id="cart"><button id="checkout" class="btn primary" type="button">Pay</button><input id="card" name="card"></main><script src="/app.js"></script>',
        script:
          "console.log('page ready', { items: 2 }); console.warn('w'.repeat(5000)); fetch('/api/ping?token=abc');",
      }),
    );
    const tab = await browser.context.newPage();
    await tab.goto(`${server.url}/shop`);
    await tab.waitForFunction(
      "performance.getEntriesByName(location.origin + '/api/ping?token=abc').length > 0",
    );
    await tab.locator('#card').pressSequentially('4242 4242 4242 4242');
    await tab.click('#checkout');
    await tab.evaluate('startTimer()');
    await tab.evaluate('rejectLater()');
    await tab.addScriptTag({ url: '/top-level.js' });
    await ingest.waitFor((i) => i.events().length >= 4, { timeout: 10_000 });
    // Anything reported twice would arrive right after the first copy.
    await new Promise((resolve) => setTimeout(resolve, 300));
    events = ingest.events();
    await tab.close();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await ingest?.close();
  });

  const byValue = (value: string): Event => {
    const matching = events.filter((event) => topException(event).value === value);
    expect(matching, `events with value ${value}`).toHaveLength(1);
    return matching[0]!;
  };

  it('reports each error once, all schema-valid', () => {
    expect(events.map((event) => topException(event).value).sort()).toEqual([
      'listener failed',
      'promise rejected',
      'timer failed',
      'top-level failure',
    ]);
    expect(ingest.schemaErrors()).toEqual([]);
    for (const event of events) {
      expect(event.platform).toBe('javascript');
      expect(event.sdk?.name).toBe('faultline.javascript.browser');
      expect(event.release).toBe('shop@1.2.3');
      expect(event.level).toBe('error');
    }
  });

  it('names the browser API or global handler that saw the error, as unhandled', () => {
    expect(topException(byValue('listener failed')).mechanism).toMatchObject({
      type: 'auto.browser.browserapierrors.addEventListener',
      handled: false,
      data: { function: 'onCheckoutClick' },
    });
    expect(topException(byValue('timer failed')).mechanism).toMatchObject({
      type: 'auto.browser.browserapierrors.setTimeout',
      handled: false,
    });
    expect(topException(byValue('promise rejected'))).toMatchObject({
      type: 'RangeError',
      mechanism: { type: 'auto.browser.global_handlers.onunhandledrejection', handled: false },
    });
    expect(topException(byValue('top-level failure'))).toMatchObject({
      type: 'SyntaxError',
      mechanism: { type: 'auto.browser.global_handlers.onerror', handled: false },
    });
  });

  it('keeps browser stack frames: file, function, line and column', () => {
    const frames = topException(byValue('listener failed')).stacktrace?.frames ?? [];
    const appFrames = frames.filter((frame) => frame.filename === `${server.url}/app.js`);
    // Frames are oldest first: the listener, then the function that threw.
    expect(appFrames.map((frame) => frame.function)).toEqual([
      'HTMLButtonElement.onCheckoutClick',
      'failInListener',
    ]);
    expect(appFrames.map((frame) => [frame.lineno, frame.colno])).toEqual([
      [5, 3],
      [2, 9],
    ]);
    expect(appFrames.every((frame) => frame.in_app)).toBe(true);

    const timerFrames = topException(byValue('timer failed')).stacktrace?.frames ?? [];
    expect(timerFrames.at(-1)).toMatchObject({
      filename: `${server.url}/app.js`,
      function: 'tick',
      lineno: 9,
      colno: 9,
    });
    const topLevel = topException(byValue('top-level failure')).stacktrace?.frames ?? [];
    expect(topLevel.at(-1)).toMatchObject({
      filename: `${server.url}/top-level.js`,
      function: 'loadConfig',
      lineno: 2,
    });
  });

  it('carries the page URL and the user agent', () => {
    const event = byValue('listener failed');
    expect(event.request?.url).toBe(`${server.url}/shop`);
    expect(event.request?.headers?.['User-Agent']).toMatch(/HeadlessChrome\/\d+/);
  });

  it('records console, fetch and DOM breadcrumbs in order, without input values or query strings leaking into clicks', () => {
    const crumbs = breadcrumbsOf(byValue('listener failed'));
    const console = crumbs.find((crumb) => crumb.category === 'console');
    expect(console).toMatchObject({ level: 'info', message: 'page ready {"items":2}' });
    // Long messages are cut to 1024 characters, marked as cut.
    const long = crumbs.find((crumb) => crumb.category === 'console' && crumb.level === 'warning');
    expect(long?.message).toBe(`${'w'.repeat(1024)}...`);
    const fetchCrumb = crumbs.find((crumb) => crumb.category === 'fetch');
    expect(fetchCrumb).toMatchObject({
      type: 'http',
      data: { method: 'GET', url: '/api/ping?token=abc', status_code: 204 },
    });
    const input = crumbs.find((crumb) => crumb.category === 'ui.input');
    expect(input?.message).toBe('body > main#cart > input#card[name="card"]');
    // One breadcrumb for the burst of typing, not one per key.
    expect(crumbs.filter((crumb) => crumb.category === 'ui.input')).toHaveLength(1);
    const click = crumbs.find((crumb) => crumb.category === 'ui.click');
    expect(click?.message).toBe('body > main#cart > button#checkout.btn.primary[type="button"]');
    expect(JSON.stringify(crumbs)).not.toContain('4242');
    const order = crumbs.map((crumb) => crumb.category);
    expect(order.indexOf('console')).toBeLessThan(order.indexOf('fetch'));
    expect(order.indexOf('fetch')).toBeLessThan(order.indexOf('ui.input'));
    expect(order.indexOf('ui.input')).toBeLessThan(order.indexOf('ui.click'));
    const timestamps = crumbs.map((crumb) => crumb.timestamp ?? 0);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
    // No breadcrumb for the SDK's own requests to the ingest.
    expect(crumbs.some((crumb) => String(crumb.data?.url).includes('/envelope/'))).toBe(false);
  });

  it('sends one session that starts ok and crashes with the first unhandled error', () => {
    const sessions = ingest.items('session').map((item) => item.json as Record<string, unknown>);
    expect(sessions[0]).toMatchObject({ init: true, status: 'ok', errors: 0, seq: 0 });
    expect(sessions[1]).toMatchObject({ init: false, status: 'crashed', errors: 1, seq: 1 });
    expect(sessions).toHaveLength(2);
    const sids = new Set(sessions.map((session) => session.sid));
    expect(sids.size).toBe(1);
    for (const session of sessions) expectValidSession(session, 'shop@1.2.3');
    // The crash update travels with the crashing event.
    const crashEnvelope = ingest.envelopes.find((envelope) =>
      envelope.items.some(
        (item) => item.type === 'session' && (item.json as { status: string }).status === 'crashed',
      ),
    );
    expect(crashEnvelope?.items.map((item) => item.type)).toEqual(['event', 'session']);
  });
});

function topException(event: Event): Exception {
  const values = event.exception?.values ?? [];
  return values[values.length - 1] ?? {};
}

function breadcrumbsOf(event: Event): Breadcrumb[] {
  return (event.breadcrumbs as unknown as { values?: Breadcrumb[] } | undefined)?.values ?? [];
}
