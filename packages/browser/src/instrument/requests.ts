/**
 * The page's outgoing requests, fetch and XHR alike, shared by breadcrumbs and tracing. A handler
 * sees each request as it starts (and may add headers to it) and returns what should hear how it
 * ended. The SDK's own requests to the ingest are never reported.
 */
import { envelopeEndpoint, getClient } from '@faultline/core';
import { instrumentFetch } from './fetch';
import { safely } from './safely';
import { instrumentXhr } from './xhr';

export type RequestType = 'fetch' | 'xhr';

/**
 * A request as it starts. Start handlers may add headers: to a fetch by replacing `init`, to an XHR
 * with `xhr.setRequestHeader`.
 */
export interface RequestCall {
  type: RequestType;
  method: string;
  /** The URL as the page passed it (relative URLs stay relative). */
  url: string;
  /** fetch: its arguments. */
  input?: RequestInfo | URL;
  init?: RequestInit;
  /** XHR: the request, and whether the page set a `sentry-trace` header on it. */
  xhr?: XMLHttpRequest;
  traced?: boolean;
}

/** Hears the end of a request: its HTTP status, undefined when it failed (network error, abort). */
export type RequestEnd = (status: number | undefined) => void;
export type RequestHandler = (call: RequestCall) => RequestEnd | undefined;

const handlers: Array<[Array<RequestType | false>, RequestHandler]> = [];
const instrument = { fetch: instrumentFetch, xhr: instrumentXhr };

/**
 * Instruments the given request types (once per page) and reports their requests to `handler`;
 * `false` in `types` stands for a type the caller does not want.
 */
export function addRequestHandler(types: Array<RequestType | false>, handler: RequestHandler): void {
  handlers.push([types, handler]);
  for (const type of types) if (type) instrument[type](startRequest);
}

function startRequest(call: RequestCall): RequestEnd {
  const ends = isSdkRequest(call.url)
    ? []
    : handlers.map(([types, handler]) => types.includes(call.type) && safely(handler, call));
  return (status) => {
    for (const end of ends) if (end) safely(end, status);
  };
}

/** Whether `url` (resolved against the page) is the ingest's envelope endpoint. */
function isSdkRequest(url: string): boolean {
  const dsn = getClient()?.getDsn();
  try {
    return !!dsn && new URL(url, globalThis.location?.href).href.startsWith(envelopeEndpoint(dsn));
  } catch {
    return false;
  }
}
