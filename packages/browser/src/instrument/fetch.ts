/**
 * One wrapper around `window.fetch` (see requests.ts). The page's request goes ahead even when
 * the instrumentation fails; only headers a handler adds (in `init`) change it.
 */
import type { RequestCall, RequestEnd } from './requests';

let nativeFetch: typeof fetch | undefined;

/** The fetch the page had before this SDK wrapped it: the SDK's own requests go through it. */
export function originalFetch(): typeof fetch | undefined {
  return nativeFetch ?? globalThis.fetch?.bind(globalThis);
}

export function instrumentFetch(start: (call: RequestCall) => RequestEnd): void {
  if (nativeFetch || typeof globalThis.fetch !== 'function') return;
  const original = globalThis.fetch;
  nativeFetch = original.bind(globalThis);
  globalThis.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    const request = input instanceof Request ? input : undefined;
    const call: RequestCall = {
      type: 'fetch',
      method: String(init?.method ?? request?.method ?? 'GET').toUpperCase(),
      url: request ? request.url : String(input),
      input,
      init,
    };
    const end = start(call);
    return original.call(this, input, call.init).then(
      (response) => {
        end(response.status);
        return response;
      },
      (error: unknown) => {
        end(undefined);
        throw error;
      },
    );
  } as typeof fetch;
}
