/**
 * Acceptance (issue 7): the dev server's UI in real Chromium after checkout traffic. The issues list
 * shows the payment bug with its count; a trace page shows spans from every service in one
 * waterfall. Screenshots go to test-results/screenshots/ as artifacts.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@faultline/devserver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: the example is plain JavaScript.
import { runStorefront, startCheckoutSystem, waitForQueue } from '../../examples/checkout/system.mjs';
import { type Browser, launchChromium } from '../../packages/browser/test/browser-harness';

const screenshots = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
let devServer: DevServer;
let browser: Browser;

interface IssueSummary {
  id: number;
  title: string;
  count: number;
  type: string | null;
  services: string[];
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  devServer = await startDevServer({ port: 0, dbPath: ':memory:' });
  const system = await startCheckoutSystem(devServer.dsn());
  try {
    await runStorefront(system.gatewayUrl, devServer.dsn(), 30, () => undefined);
    await waitForQueue(system.notificationsUrl);
  } finally {
    await system.stop();
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await devServer?.close();
});

describe('dev server UI', () => {
  it('lists the payment bug with its count', async () => {
    const { issues } = (await (await fetch(`${devServer.url}/api/issues`)).json()) as {
      issues: IssueSummary[];
    };
    const bug = issues.find((i) => i.type === 'TypeError' && i.services.includes('payments'))!;
    expect(bug.count).toBeGreaterThan(0);
    const page = await browser.context.newPage();
    await page.goto(devServer.url);
    const row = page.locator(`[data-testid="issue-row"][data-issue-id="${bug.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("Cannot read properties of undefined (reading 'amount')");
    expect((await row.locator('[data-testid="issue-count"]').textContent())?.trim()).toBe(String(bug.count));
    await page.screenshot({ path: `${screenshots}issues-list.png`, fullPage: true });
    await page.close();
  });

  it('shows one waterfall with spans from every service of a checkout', async () => {
    const { traces } = (await (await fetch(`${devServer.url}/api/traces?limit=200`)).json()) as {
      traces: Array<{ traceId: string; services: string[]; errorCount: number }>;
    };
    const full = traces.find((t) => t.services.includes('notifications'))!;
    const failing = traces.find((t) => t.errorCount > 0 && t.services.includes('payments'))!;
    const page = await browser.context.newPage();
    for (const [trace, name] of [
      [full, 'trace-all-services'],
      [failing, 'trace-failing'],
    ] as const) {
      await page.goto(`${devServer.url}/traces/${trace.traceId}`);
      await page.locator('[data-testid="waterfall-span"]').first().waitFor();
      const services = await page
        .locator('[data-testid="waterfall-span"]')
        .evaluateAll((spans) => [...new Set(spans.map((span) => span.getAttribute('data-service')))]);
      expect(services.sort()).toEqual([...trace.services].sort());
      await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
    }
    expect(await page.locator('[data-testid="span-error"]').count()).toBeGreaterThan(0);
    const erroredService = await page
      .locator('[data-testid="waterfall-span"][data-error="true"]')
      .evaluateAll((spans) => spans.map((span) => span.getAttribute('data-service')));
    expect(erroredService).toContain('payments');
    expect(full.services).toEqual(
      expect.arrayContaining(['storefront', 'gateway', 'inventory', 'payments', 'notifications']),
    );
    await page.close();
  });
});
