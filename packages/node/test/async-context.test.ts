/**
 * The AsyncLocalStorage strategy: 200 concurrent isolated tasks, each setting its own user and tag and
 * awaiting random delays, produce events that carry only their own data, while global data is on all.
 */
import {
  captureException,
  close,
  getClient,
  getCurrentScope,
  getGlobalScope,
  getIsolationScope,
  setTag,
  setUser,
  withIsolationScope,
  withScope,
} from '@faultline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { getDefaultIntegrations, init } from '../src/index';

const TASKS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const randomDelay = () => sleep(Math.floor(Math.random() * 15));

let ingest: TestIngest;
beforeAll(async () => {
  ingest = await startIngest();
  // Process handlers stay out of the test runner's process.
  const processHandlers = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'ProcessExitFlush']);
  init({
    dsn: ingest.dsn,
    // All 200 captures land within milliseconds; the default queue (64) would drop most of them.
    transportOptions: { bufferSize: TASKS },
    defaultIntegrations: getDefaultIntegrations().filter((i) => !processHandlers.has(i.name)),
  });
});
afterAll(async () => {
  await close(2000);
  await ingest.close();
});

describe('async context isolation', () => {
  it('keeps concurrent isolation scopes apart across awaits', async () => {
    getGlobalScope().setTag('service', 'checkout');
    const ids = await Promise.all(
      Array.from({ length: TASKS }, (_, task) =>
        withIsolationScope(async () => {
          await randomDelay();
          setUser({ id: `user-${task}` });
          await randomDelay();
          setTag('task', String(task));
          await randomDelay();
          return { task, eventId: captureException(new Error(`failure in task ${task}`)) };
        }),
      ),
    );
    await ingest.waitFor(() => ingest.events().length >= TASKS, { timeout: 15_000 });
    const events = ingest.events();
    expect(events).toHaveLength(TASKS);
    for (const { task, eventId } of ids) {
      const event = events.find((candidate) => candidate.event_id === eventId);
      expect(event?.user).toEqual({ id: `user-${task}` });
      expect(event?.tags).toEqual({ service: 'checkout', task: String(task) });
      expect(event?.exception?.values?.[0]?.value).toBe(`failure in task ${task}`);
    }
    // Nothing leaked into the process-wide isolation scope.
    expect(getIsolationScope().getUser()).toBeUndefined();
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('finds the client bound before the strategy was installed, inside and outside layers', async () => {
    const client = getClient();
    expect(client).toBeDefined();
    await withIsolationScope(async () => {
      await sleep(1);
      expect(getClient()).toBe(client);
      await withScope(async (scope) => {
        await sleep(1);
        expect(getCurrentScope()).toBe(scope);
        expect(getClient()).toBe(client);
      });
    });
  });

  it('withScope forks the current scope; the fork does not leak into the caller', async () => {
    getCurrentScope().setTag('outer', 'yes');
    await withScope(async (scope) => {
      scope.setTag('inner', 'yes');
      await sleep(2);
      expect(getCurrentScope().getScopeData().tags).toEqual({ outer: 'yes', inner: 'yes' });
    });
    expect(getCurrentScope().getScopeData().tags).toEqual({ outer: 'yes' });
    getCurrentScope().clear();
  });

  it('withIsolationScope(scope) runs with exactly that scope', () => {
    const isolationScope = getIsolationScope().clone();
    withIsolationScope(isolationScope, (inside) => {
      expect(inside).toBe(isolationScope);
      expect(getIsolationScope()).toBe(isolationScope);
    });
    expect(getIsolationScope()).not.toBe(isolationScope);
  });
});
