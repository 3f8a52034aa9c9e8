/**
 * One wrapper around `XMLHttpRequest`, shared by breadcrumbs and tracing: handlers see each request
 * when it is sent (and may add headers with `setRequestHeader`) and when it ends, whatever the
 * outcome (`loadend`).
 */
import { timestampInSeconds } from '@faultline/core';

export interface XhrCall {
  method: string;
  url: string;
  xhr: XMLHttpRequest;
  /** Header names the page set, lower case. */
  headerNames: Set<string>;
  /** Unix seconds. */
  startTime: number;
  endTime?: number;
  /** 0 when the request failed or was aborted. */
  status?: number;
  state: Map<object, unknown>;
}

export interface XhrHandler {
  start?(call: XhrCall): void;
  end?(call: XhrCall): void;
}

const handlers: XhrHandler[] = [];
const calls = new WeakMap<XMLHttpRequest, XhrCall>();
let patched = false;

export function addXhrHandler(handler: XhrHandler): void {
  handlers.push(handler);
  if (patched || typeof XMLHttpRequest !== 'function') return;
  patched = true;
  const proto = XMLHttpRequest.prototype;
  const { open, send, setRequestHeader } = proto;

  proto.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    calls.set(this, {
      method: String(args[0]).toUpperCase(),
      url: String(args[1]),
      xhr: this,
      headerNames: new Set(),
      startTime: 0,
      state: new Map(),
    });
    return (open as (...a: unknown[]) => void).apply(this, args);
  } as typeof proto.open;

  proto.setRequestHeader = function (this: XMLHttpRequest, name: string, value: string) {
    calls.get(this)?.headerNames.add(String(name).toLowerCase());
    return setRequestHeader.call(this, name, value);
  };

  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const call = calls.get(this);
    if (call) {
      call.startTime = timestampInSeconds();
      notify('start', call);
      this.addEventListener('loadend', () => {
        call.endTime = timestampInSeconds();
        call.status = this.status;
        notify('end', call);
      });
    }
    return send.call(this, body);
  };
}

function notify(phase: 'start' | 'end', call: XhrCall): void {
  for (const handler of handlers) {
    try {
      handler[phase]?.(call);
    } catch {
      // Instrumentation must never break the page's request.
    }
  }
}
