import { describe, expect, it, vi } from 'vitest';
import { BUFFER_FULL, makePromiseBuffer } from '../src/promise-buffer';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('makePromiseBuffer', () => {
  it('passes through the task result and forgets settled tasks', async () => {
    const buffer = makePromiseBuffer(2);
    const result = buffer.add(() => Promise.resolve(7));
    expect(buffer.size).toBe(1);
    await expect(result).resolves.toBe(7);
    await Promise.resolve();
    expect(buffer.size).toBe(0);
  });

  it('rejects with BUFFER_FULL without calling the producer when full', async () => {
    const buffer = makePromiseBuffer(2);
    const first = deferred();
    const second = deferred();
    buffer.add(() => first.promise);
    buffer.add(() => second.promise);
    const producer = vi.fn(() => Promise.resolve());
    await expect(buffer.add(producer)).rejects.toBe(BUFFER_FULL);
    expect(producer).not.toHaveBeenCalled();
    expect(buffer.size).toBe(2);

    first.resolve();
    await first.promise;
    await Promise.resolve();
    await expect(buffer.add(producer)).resolves.toBeUndefined();
    expect(producer).toHaveBeenCalledOnce();
    second.resolve();
  });

  it('frees the slot of a rejected task and turns a throwing producer into a rejection', async () => {
    const buffer = makePromiseBuffer(1);
    await expect(buffer.add(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      buffer.add(() => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    await Promise.resolve();
    expect(buffer.size).toBe(0);
  });

  it('drain resolves true at once when empty', async () => {
    await expect(makePromiseBuffer(1).drain(10)).resolves.toBe(true);
    await expect(makePromiseBuffer(1).drain()).resolves.toBe(true);
  });

  it('drain resolves true once every task, including rejected ones, has settled', async () => {
    const buffer = makePromiseBuffer(3);
    const ok = deferred();
    const failing = deferred();
    buffer.add(() => ok.promise);
    buffer.add(() => failing.promise).catch(() => {});
    const drained = buffer.drain(1000);
    ok.resolve();
    failing.reject(new Error('network'));
    await expect(drained).resolves.toBe(true);
    expect(buffer.size).toBe(0);
  });

  it('drain waits for tasks added while draining', async () => {
    const buffer = makePromiseBuffer(3);
    const first = deferred();
    const late = deferred();
    buffer.add(() => first.promise);
    let settled = false;
    const drained = buffer.drain(1000).then((value) => {
      settled = true;
      return value;
    });
    buffer.add(() => late.promise);
    first.resolve();
    await first.promise;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(settled).toBe(false);
    late.resolve();
    await expect(drained).resolves.toBe(true);
  });

  it('drain resolves false when the timeout passes first, never rejecting', async () => {
    const buffer = makePromiseBuffer(1);
    buffer.add(() => new Promise(() => {}));
    const started = performance.now();
    await expect(buffer.drain(30)).resolves.toBe(false);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(25);
    // Generous: a loaded CI machine runs timers late; the point is that it resolves rather than hangs.
    expect(elapsed).toBeLessThan(30 + 1000);
  });

  it('unrefs its timer so a pending drain does not keep Node alive', async () => {
    const unref = vi.fn();
    const realSetTimeout = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((handler: () => void, ms?: number) => {
      const handle = realSetTimeout(handler, ms);
      return Object.assign(handle, { unref }) as unknown as ReturnType<typeof setTimeout>;
    }) as typeof setTimeout);
    try {
      const buffer = makePromiseBuffer(1);
      const task = deferred();
      buffer.add(() => task.promise);
      const drained = buffer.drain(1000);
      expect(unref).toHaveBeenCalledOnce();
      task.resolve();
      await expect(drained).resolves.toBe(true);
    } finally {
      spy.mockRestore();
    }
  });
});
