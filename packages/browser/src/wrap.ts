/**
 * Wraps a callback the page hands to a browser API, so an error thrown inside is captured with the
 * API it came through and its real stack (even when the script is on another origin and the global
 * handler would only see "Script error."), then rethrown as if nothing had intercepted it.
 */
import { captureException } from '@faultline/core';
import { ignoreNextOnError } from './ignore-next-onerror';

type AnyFunction = (...args: any[]) => any;

export function wrap<F extends AnyFunction>(fn: F, api: string): F {
  return function (this: unknown, ...args: unknown[]) {
    try {
      return fn.apply(this, args);
    } catch (error) {
      ignoreNextOnError();
      captureException(error, {
        mechanism: {
          type: `auto.browser.browserapierrors.${api}`,
          handled: false,
          data: { function: fn.name || '<anonymous>' },
        },
      });
      throw error;
    }
  } as F;
}
