import {
  addBreadcrumb,
  addEventProcessor,
  type Breadcrumb,
  captureException,
  captureMessage,
  getClient,
  getCurrentScope,
  getGlobalScope,
  getIsolationScope,
  lastEventId,
  Scope,
  setTag,
  setUser,
  withIsolationScope,
  withScope,
} from '@faultline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../ingest';
import { breadcrumbsOf, initForTest, shutdown } from '../support/sdk';

let ingest: TestIngest;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(() => ingest.close());
beforeEach(() => {
  ingest.reset();
  initForTest({ dsn: ingest.dsn });
});
afterEach(() => shutdown());

describe('scope merge order: global < isolation < current < capture-time', () => {
  it('lets the more specific scope win per key and keeps keys from every level', async () => {
    getGlobalScope().setTag('level', 'global').setTag('g', '1').setExtra('from', 'global');
    getIsolationScope().setTag('level', 'isolation').setTag('i', '1');
    withScope((scope) => {
      scope.setTag('level', 'current').setTag('c', '1').setExtra('from', 'current');
      captureMessage('merge-1', { tags: { level: 'capture', k: '1' } });
    });
    const event = await ingest.eventWithMessage('merge-1');
    expect(event.tags).toEqual({ level: 'capture', g: '1', i: '1', c: '1', k: '1' });
    expect(event.extra).toEqual({ from: 'current' });
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('merges user, contexts, fingerprint and level with the same precedence', async () => {
    getGlobalScope().setUser({ id: 'global-user' }).setContext('app', { app_name: 'shop' });
    setUser({ id: 'u-42', email: 'a@example.com' });
    withScope((scope) => {
      scope
        .setLevel('warning')
        .setFingerprint(['checkout', '{{ default }}'])
        .setContext('cart', { items: 3 });
      captureMessage('merge-2');
    });
    const event = await ingest.eventWithMessage('merge-2');
    expect(event.user).toEqual({ id: 'u-42', email: 'a@example.com' });
    expect(event.contexts).toMatchObject({ app: { app_name: 'shop' }, cart: { items: 3 } });
    expect(event.level).toBe('warning');
    expect(event.fingerprint).toEqual(['checkout', '{{ default }}']);
  });

  it('applies event processors from every scope and drops on null', async () => {
    getGlobalScope().addEventProcessor((event) => ({
      ...event,
      tags: { ...event.tags, globalProcessor: 'yes' },
    }));
    addEventProcessor((event) => (event.message === 'drop-me' ? null : event));
    captureMessage('drop-me');
    captureMessage('processed');
    const event = await ingest.eventWithMessage('processed');
    expect(event.tags).toMatchObject({ globalProcessor: 'yes' });
    await getClient()!.flush(2000);
    expect(ingest.events().some((e) => e.logentry?.message === 'drop-me')).toBe(false);
    expect(ingest.discardedEvents()).toContainEqual({
      reason: 'event_processor',
      category: 'error',
      quantity: 1,
    });
  });
});

describe('withScope', () => {
  it('confines changes to the callback and forks copy-on-write', async () => {
    const outer = getCurrentScope();
    outer.setTag('shared', 'before');
    withScope((inner) => {
      expect(inner).not.toBe(outer);
      expect(getCurrentScope()).toBe(inner);
      inner.setTag('shared', 'inner').setTag('only-inner', 'yes');
      addBreadcrumb({ message: 'inside' });
      captureMessage('inside-scope');
    });
    expect(getCurrentScope()).toBe(outer);
    expect(outer.getScopeData().tags).toEqual({ shared: 'before' });
    outer.setTag('shared', 'after');
    captureMessage('outside-scope');
    const inside = await ingest.eventWithMessage('inside-scope');
    const outside = await ingest.eventWithMessage('outside-scope');
    expect(inside.tags).toEqual({ shared: 'inner', 'only-inner': 'yes' });
    expect(outside.tags).toEqual({ shared: 'after' });
    // Breadcrumbs go to the isolation scope, which withScope does not fork.
    expect(breadcrumbsOf(outside).map((b) => b.message)).toEqual(['inside']);
  });

  it('restores the current scope when the callback throws or its promise settles', async () => {
    const outer = getCurrentScope();
    expect(() =>
      withScope(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(getCurrentScope()).toBe(outer);
    await withScope(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    expect(getCurrentScope()).toBe(outer);
  });

  it('runs with a given scope when one is passed', () => {
    const scope = new Scope();
    withScope(scope, (active) => {
      expect(active).toBe(scope);
      expect(getCurrentScope()).toBe(scope);
    });
  });
});

describe('isolation scope vs current scope', () => {
  it('setUser/setTag write to the isolation scope and withIsolationScope forks both', async () => {
    setTag('request', 'outer');
    const outerIsolation = getIsolationScope();
    withIsolationScope((isolation) => {
      expect(isolation).not.toBe(outerIsolation);
      expect(getIsolationScope()).toBe(isolation);
      setTag('request', 'inner');
      setUser({ id: 'inner-user' });
      captureMessage('isolated');
      expect(lastEventId()).toBeDefined();
    });
    expect(outerIsolation.getScopeData().tags).toEqual({ request: 'outer' });
    expect(outerIsolation.getUser()).toBeUndefined();
    captureMessage('not-isolated');
    expect((await ingest.eventWithMessage('isolated')).user).toEqual({ id: 'inner-user' });
    expect((await ingest.eventWithMessage('not-isolated')).tags).toEqual({ request: 'outer' });
    expect((await ingest.eventWithMessage('not-isolated')).user).toBeUndefined();
  });

  it('keeps lastEventId per isolation scope', () => {
    const outerId = captureException(new Error('outer'));
    expect(lastEventId()).toBe(outerId);
    withIsolationScope(() => {
      expect(lastEventId()).toBe(outerId);
      const innerId = captureException(new Error('inner'));
      expect(lastEventId()).toBe(innerId);
    });
    expect(lastEventId()).toBe(outerId);
  });
});

describe('client lookup', () => {
  it('finds the client on the current, then isolation, then global scope', () => {
    const client = getClient()!;
    expect(client).toBeDefined();
    withScope((scope) => {
      expect(getClient()).toBe(client);
      const other = Object.create(client);
      scope.setClient(other);
      expect(getClient()).toBe(other);
    });
    expect(getClient()).toBe(client);
    getCurrentScope().setClient(undefined);
    expect(getClient()).toBeUndefined();
    getGlobalScope().setClient(client);
    expect(getClient()).toBe(client);
    getGlobalScope().setClient(undefined);
    getCurrentScope().setClient(client);
  });

  it('returns an id without throwing when there is no client', () => {
    getCurrentScope().setClient(undefined);
    expect(() => captureException(new Error('no client'))).not.toThrow();
    expect(typeof captureMessage('no client')).toBe('string');
  });

  it("stores a copy of the caller's breadcrumb, timestamped unless it has a timestamp", async () => {
    initForTest({ dsn: ingest.dsn });
    const crumb: Breadcrumb = { message: 'as added', data: { step: 1 } };
    addBreadcrumb(crumb);
    addBreadcrumb({ message: 'dated', timestamp: 1_700_000_000 });
    crumb.message = 'edited after';
    captureMessage('copied crumbs');
    const crumbs = breadcrumbsOf(await ingest.eventWithMessage('copied crumbs'));
    const stored = crumbs.find((b) => b.data?.step === 1);
    const dated = crumbs.find((b) => b.message === 'dated');
    expect(stored).toMatchObject({ message: 'as added', data: { step: 1 } });
    expect(stored!.timestamp).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(dated).toMatchObject({ message: 'dated', timestamp: 1_700_000_000 });
    expect(crumb).not.toHaveProperty('timestamp');
  });

  it('keeps the newest maxBreadcrumbs breadcrumbs, through beforeBreadcrumb', async () => {
    initForTest({
      dsn: ingest.dsn,
      maxBreadcrumbs: 3,
      beforeBreadcrumb: (crumb) => (crumb.category === 'secret' ? null : { ...crumb, data: { seen: true } }),
    });
    for (let i = 0; i < 5; i++) addBreadcrumb({ message: `step ${i}`, category: 'checkout' });
    addBreadcrumb({ message: 'password', category: 'secret' });
    captureMessage('crumbs');
    const event = await ingest.eventWithMessage('crumbs');
    expect(breadcrumbsOf(event).map((b) => b.message)).toEqual(['step 2', 'step 3', 'step 4']);
    expect(ingest.schemaErrors()).toEqual([]);
    expect(
      breadcrumbsOf(event).every(
        (b) => (b.data as { seen?: boolean }).seen && typeof b.timestamp === 'number',
      ),
    ).toBe(true);
  });
});
