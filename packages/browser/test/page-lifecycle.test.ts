/**
 * Real Chromium, loopback pages: web vitals on the page load transaction (with a real click for
 * INP), a navigation transaction in a new trace per history change, and the events a page queued
 * right before navigating away arriving anyway, with its session ending as `exited`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { transactionProblems } from '../../../test/support/trace-checks';
import type { Event } from '../../core/src/types/event';
import { type Browser, launchChromium, type PageServer, page, startPageServer } from './browser-harness';
import { expectValidSession } from './session-checks';

describe('page load, navigation and leaving the page', () => {
  let ingest: TestIngest;
  let server: PageServer;
  let browser: Browser;

  beforeAll(async () => {
    ingest = await startIngest();
    server = await startPageServer();
    browser = await launchChromium();
    server.route(
      '/vitals',
      page({
        init: `{ dsn: ${JSON.stringify(ingest.dsn)}, tracesSampleRate: 1,
          integrations: [Faultline.browserTracingIntegration({ idleTimeout: 3000 })] }`,
        body: `<h1>Checkout</h1><p id="intro">Your cart</p>
          <button id="pay" style="padding: 20px">Pay</button>`,
        script: `document.getElementById('pay').addEventListener('click', () => {
            const until = performance.now() + 80;
            while (performance.now() < until) {}
            document.getElementById('intro').textContent = 'Paying...';
          });
          setTimeout(() => {
            const banner = document.createElement('div');
            banner.style.height = '120px';
            banner.textContent = 'Free shipping today';
            document.body.prepend(banner);
          }, 100);`,
      }),
    );
    server.route(
      '/leave',
      page({
        init: `{ dsn: ${JSON.stringify(ingest.dsn)}, release: 'shop@2.0.0', transportOptions: { maxConcurrentRequests: 2 } }`,
        body: '<h1>Bye</h1>',
      }),
    );
    server.route('/elsewhere', '<!doctype html><title>elsewhere</title><p>No SDK here.</p>');
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await ingest?.close();
  });

  it('measures LCP, FCP, CLS, TTFB and INP on the page load, then traces a navigation in a new trace', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(`${server.url}/vitals`);
    await tab.waitForTimeout(300);
    await tab.click('#pay');
    await ingest.waitFor((i) => i.transactions().length >= 1, { timeout: 10_000 });
    const pageload = ingest.transactions()[0]!;
    expect(pageload.contexts?.trace?.op).toBe('pageload');
    expect(transactionProblems(pageload)).toEqual([]);

    const measurements = pageload.measurements as Record<string, { value: number; unit: string }>;
    for (const name of ['lcp', 'fcp']) {
      expect(measurements[name]?.unit, name).toBe('millisecond');
      expect(measurements[name]!.value, name).toBeGreaterThan(0);
      expect(measurements[name]!.value, name).toBeLessThan(10_000);
    }
    expect(measurements.ttfb!.value).toBeGreaterThanOrEqual(0);
    expect(measurements.ttfb!.value).toBeLessThan(10_000);
    expect(measurements.cls!.value).toBeGreaterThan(0);
    expect(measurements.cls!.value).toBeLessThan(1);
    // The click handler blocks for 80 ms: the interaction takes at least that long.
    expect(measurements.inp!.value).toBeGreaterThanOrEqual(80);
    expect(measurements.inp!.value).toBeLessThan(10_000);

    await tab.evaluate("history.pushState({}, '', '/vitals/step-2')");
    await ingest.waitFor((i) => i.transactions().length >= 2, { timeout: 10_000 });
    const navigation = ingest.transactions()[1]!;
    expect(navigation).toMatchObject({ transaction: '/vitals/step-2', transaction_info: { source: 'url' } });
    expect(navigation.contexts?.trace?.op).toBe('navigation');
    expect(navigation.contexts?.trace?.trace_id).not.toBe(pageload.contexts?.trace?.trace_id);
    expect(ingest.schemaErrors()).toEqual([]);
    await tab.close();
  });

  it('delivers the events queued right before the page navigates away, and ends its session', async () => {
    ingest.reset();
    // Slow answers keep the two allowed requests busy, so the later events wait in the queue.
    ingest.setDefaultResponse({ status: 200, delayMs: 1500 });
    const tab = await browser.context.newPage();
    await tab.goto(`${server.url}/leave`);
    await tab.evaluate(`
      for (let i = 1; i <= 6; i++) Faultline.captureMessage('last words ' + i);
      location.href = '/elsewhere';
    `);
    await tab.waitForURL(`${server.url}/elsewhere`);
    await ingest.waitFor((i) => i.events().length >= 6 && i.items('session').length >= 2, {
      timeout: 10_000,
    });
    const messages = ingest.events().map((event: Event) => (event.logentry as { message?: string })?.message);
    expect(messages.sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `last words ${i}`));
    // The page's requests were cut off on its side only: nothing is reported as lost.
    expect(ingest.discardedEvents()).toEqual([]);

    const sessions = ingest.items('session').map((item) => item.json as Record<string, unknown>);
    expect(sessions.map((session) => session.status)).toEqual(['ok', 'exited']);
    expect(sessions[1]).toMatchObject({ init: false, errors: 0, seq: 1, sid: sessions[0]!.sid });
    for (const session of sessions) expectValidSession(session, 'shop@2.0.0');
    await tab.close();
  });
});
