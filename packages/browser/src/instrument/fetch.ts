/**
 * One wrapper around `window.fetch`, shared by breadcrumbs and tracing. Handlers see each call at
 * its start (and may replace its arguments, to add trace headers) and at its end. A handler that
 * throws is skipped; the page's request always goes ahead unchanged in that case.
 */
import { timestampInSeconds } from '@faultline/core';

export interface FetchCall {
  method: string;
  /** The URL as the page passed it (relative URLs stay relative). */
  url: string;
  /** What fetch is called with; start handlers may replace these. */
  args: [RequestInfo | URL, RequestInit?];
  /** Unix seconds. */
  startTime: number;
  endTime?: number;
  response?: Response;
  error?: unknown;
  /** Per-call state handlers keep between start and end, keyed by handler. */
  state: Map<object, unknown>;
}

export interface FetchHandler {
  start?(call: FetchCall): void;
  end?(call: FetchCall): void;
}

const handlers: FetchHandler[] = [];
let nativeFetch: typeof fetch | undefined;

/** The fetch the page had before this SDK wrapped it: the SDK's own requests go through it. */
export function originalFetch(): typeof fetch | undefined {
  return nativeFetch ?? globalThis.fetch?.bind(globalThis);
}

export function addFetchHandler(handler: FetchHandler): void {
  handlers.push(handler);
  if (nativeFetch || typeof globalThis.fetch !== 'function') return;
  const original = globalThis.fetch;
  nativeFetch = original.bind(globalThis);
  globalThis.fetch = function faultlineFetch(this: unknown, ...args: Parameters<typeof fetch>) {
    const call = startCall(args);
    return original.apply(this, call.args).then(
      (response) => {
        call.response = response;
        return endCall(call, response);
      },
      (error: unknown) => {
        call.error = error;
        endCall(call, undefined);
        throw error;
      },
    );
  } as typeof fetch;
}

function startCall(args: Parameters<typeof fetch>): FetchCall {
  const [input, init] = args;
  const call: FetchCall = {
    method: String(init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase(),
    url: input instanceof Request ? input.url : String(input),
    args: [input, init],
    startTime: timestampInSeconds(),
    state: new Map(),
  };
  notify('start', call);
  return call;
}

function endCall<T>(call: FetchCall, value: T): T {
  call.endTime = timestampInSeconds();
  notify('end', call);
  return value;
}

function notify(phase: 'start' | 'end', call: FetchCall): void {
  for (const handler of handlers) {
    try {
      handler[phase]?.(call);
    } catch {
      // Instrumentation must never break the page's request.
    }
  }
}
