/**
 * One wrapper around `XMLHttpRequest` (see requests.ts): a request is reported when it is sent,
 * and ends with `loadend`, whatever the outcome (status 0: failed or aborted).
 */
import type { RequestCall, RequestEnd } from './requests';

const calls = new WeakMap<XMLHttpRequest, RequestCall>();
let patched = false;

export function instrumentXhr(start: (call: RequestCall) => RequestEnd): void {
  if (patched || typeof XMLHttpRequest !== 'function') return;
  patched = true;
  const proto = XMLHttpRequest.prototype;
  const { open, send } = proto;

  proto.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    calls.set(this, { type: 'xhr', method: String(args[0]).toUpperCase(), url: String(args[1]), xhr: this });
    return (open as (...a: unknown[]) => void).apply(this, args);
  } as typeof proto.open;

  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const call = calls.get(this);
    if (call) {
      const end = start(call);
      this.addEventListener('loadend', () => end(this.status || undefined));
    }
    return send.call(this, body);
  };
}

let watching = false;

/**
 * Marks the requests on which the page set a `sentry-trace` header itself (an XHR's request headers
 * cannot be read back), so tracing never adds a second one. Only tracing patches this.
 */
export function watchOwnTraceHeaders(): void {
  if (watching || typeof XMLHttpRequest !== 'function') return;
  watching = true;
  const proto = XMLHttpRequest.prototype;
  const { setRequestHeader } = proto;
  proto.setRequestHeader = function (this: XMLHttpRequest, name: string, value: string) {
    const call = calls.get(this);
    if (call && /^sentry-trace$/i.test(name)) call.traced = true;
    return setRequestHeader.call(this, name, value);
  };
}
