import { captureMessage, debug, type Event } from '@faultline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { heapGrowth } from '../../../test/support/heap-growth';
import { breadcrumbsOf, initForTest, shutdown } from '../../../test/support/sdk';
import { consoleIntegration } from '../src/integrations/console-breadcrumbs';

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
type Method = (typeof METHODS)[number];

// Quiet stand-ins installed before the integration wraps the console, so the wrapper's pass-through shows.
const printed = Object.fromEntries(METHODS.map((method) => [method, vi.fn()])) as Record<
  Method,
  ReturnType<typeof vi.fn>
>;
const realConsole = Object.fromEntries(METHODS.map((method) => [method, console[method]]));
for (const method of METHODS) (console as unknown as Record<Method, unknown>)[method] = printed[method];

let ingest: TestIngest;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(async () => {
  await ingest.close();
  Object.assign(console, realConsole);
});
beforeEach(() => ingest.reset());
afterEach(async () => {
  debug.disable();
  await shutdown();
});

function consoleCrumbs(event: Event) {
  return breadcrumbsOf(event)
    .filter((crumb) => crumb.category === 'console')
    .map(({ level, message }) => ({ level, message }));
}

describe('consoleIntegration', () => {
  it('records console calls as breadcrumbs, in order, with mapped levels and util.format messages', async () => {
    initForTest({ dsn: ingest.dsn, integrations: [consoleIntegration()] });
    console.log('user %s logged in', 'ada');
    console.info('cache', { hits: 3 });
    console.warn('slow query: %dms', 812);
    console.error(new RangeError('out of range').message);
    console.debug('debug detail');
    console.trace('trace point');
    captureMessage('after console calls');

    const event = await ingest.eventWithMessage('after console calls');
    expect(ingest.schemaErrors()).toEqual([]);
    expect(consoleCrumbs(event)).toEqual([
      { level: 'info', message: 'user ada logged in' },
      { level: 'info', message: 'cache { hits: 3 }' },
      { level: 'warning', message: 'slow query: 812ms' },
      { level: 'error', message: 'out of range' },
      { level: 'debug', message: 'debug detail' },
      { level: 'debug', message: 'trace point' },
    ]);
    expect(printed.log).toHaveBeenCalledWith('user %s logged in', 'ada');
    expect(printed.warn).toHaveBeenCalledWith('slow query: %dms', 812);
  });

  it("does not record the SDK's own debug output", async () => {
    initForTest({ dsn: ingest.dsn, debug: true, integrations: [consoleIntegration()] });
    debug.enable();
    debug.log('internal detail');
    debug.warn('internal warning');
    console.log('app line');
    captureMessage('after sdk logs');

    expect(printed.log).toHaveBeenCalledWith('Faultline Logger [Log]: internal detail');
    expect(consoleCrumbs(await ingest.eventWithMessage('after sdk logs'))).toEqual([
      { level: 'info', message: 'app line' },
    ]);
  });

  it('does not recurse when beforeBreadcrumb itself logs', async () => {
    const beforeBreadcrumb = vi.fn((crumb) => {
      console.log('saw breadcrumb:', crumb.message);
      return crumb;
    });
    initForTest({ dsn: ingest.dsn, beforeBreadcrumb, integrations: [consoleIntegration()] });
    console.warn('outer');
    captureMessage('after logging hook');

    expect(beforeBreadcrumb).toHaveBeenCalledTimes(1);
    expect(printed.log).toHaveBeenCalledWith('saw breadcrumb:', 'outer');
    expect(consoleCrumbs(await ingest.eventWithMessage('after logging hook'))).toEqual([
      { level: 'warning', message: 'outer' },
    ]);
  });

  it('keeps 8 KB of a huge message, not the whole message, while the breadcrumb lives', async () => {
    initForTest({ dsn: ingest.dsn, integrations: [consoleIntegration()] });
    const kept = await heapGrowth(() => {
      for (let i = 0; i < 100; i++) console.log(`${i} ${'x'.repeat(1_000_000)}`);
      printed.log.mockClear();
    });
    // 100 breadcrumbs of 8 KB are ~0.8 MB; keeping the messages they were cut from would be ~100 MB.
    expect(kept).toBeLessThan(10_000_000);

    captureMessage('after huge logs');
    const crumbs = consoleCrumbs(await ingest.eventWithMessage('after huge logs'));
    expect(crumbs).toHaveLength(100);
    expect(crumbs[99]!.message).toBe(`99 ${'x'.repeat(8189)}...`);
  });

  it('records nothing for a client that did not install it, though the console stays wrapped', async () => {
    initForTest({ dsn: ingest.dsn });
    console.log('not recorded');
    captureMessage('without the integration');

    expect(printed.log).toHaveBeenCalledWith('not recorded');
    expect(consoleCrumbs(await ingest.eventWithMessage('without the integration'))).toEqual([]);
  });
});
