/** A bounded set of in-flight tasks: the transport's one queue (PROTOCOL.md §8). */

/** Rejection reason of `add` when the buffer is full; the producer was not called. */
export const BUFFER_FULL: unique symbol = Symbol('faultline.promise-buffer.full');

export interface PromiseBuffer {
  /** Starts the task unless `limit` tasks are already in flight, in which case it rejects with BUFFER_FULL. */
  add<T>(taskProducer: () => PromiseLike<T>): Promise<T>;
  /**
   * Resolves true once no task is in flight, false if `timeout` ms pass first; without a positive
   * timeout it waits as long as it takes. Never rejects.
   */
  drain(timeout?: number): Promise<boolean>;
  readonly size: number;
}

export function makePromiseBuffer(limit: number): PromiseBuffer {
  const inFlight = new Set<Promise<unknown>>();

  function add<T>(taskProducer: () => PromiseLike<T>): Promise<T> {
    if (inFlight.size >= limit) return Promise.reject(BUFFER_FULL);
    let task: Promise<T>;
    try {
      task = Promise.resolve(taskProducer());
    } catch (error) {
      task = Promise.reject(error);
    }
    inFlight.add(task);
    const remove = (): void => {
      inFlight.delete(task);
    };
    task.then(remove, remove);
    return task;
  }

  async function waitUntilEmpty(): Promise<void> {
    // Tasks added while draining count too, so wait until a settled round leaves the set empty.
    while (inFlight.size > 0) {
      await Promise.allSettled(inFlight);
    }
  }

  function drain(timeout?: number): Promise<boolean> {
    if (inFlight.size === 0) return Promise.resolve(true);
    const emptied = waitUntilEmpty().then(() => true);
    if (timeout === undefined || timeout <= 0) return emptied;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeout);
      (timer as { unref?: () => void }).unref?.();
    });
    return Promise.race([emptied, timedOut]).finally(() => clearTimeout(timer));
  }

  return {
    add,
    drain,
    get size() {
      return inFlight.size;
    },
  };
}
