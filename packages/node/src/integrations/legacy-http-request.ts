/**
 * The Node 20 fallback for outgoing trace headers (Node ≥ 22.12 uses the
 * `http.client.request.created` channel instead). Node 20's only client channel fires after the
 * header block is written, so `http.request`, `http.get`, `https.request` and `https.get` are
 * wrapped once to add headers to the options before the request is built. ESM named imports of
 * these functions see the wrappers through `syncBuiltinESMExports`. Requests built with
 * `new http.ClientRequest(...)` directly get no headers on Node 20.
 */
import type { ClientRequest, OutgoingHttpHeaders, RequestOptions } from 'node:http';
import { http, https, nodeModule } from '../lazy-builtins';

/** Given the target, may add to `headers` and return a callback that receives the created request. */
export type BeforeRequest = (
  url: string,
  method: string,
  headers: OutgoingHttpHeaders,
) => ((request: ClientRequest) => void) | undefined;

const WRAPPED = Symbol.for('faultline.node.legacyHttpRequestWrapped');
type RequestFunction = (...args: unknown[]) => ClientRequest;

export function wrapRequestFunctions(beforeRequest: BeforeRequest): void {
  // Loaded here rather than imported: an ESM import of node:http builds its ESM facade, which on
  // Node 22+ loads Node's internal undici (~20 ms of start-up) for a fallback only Node 20 needs.
  for (const [module, protocol] of [
    [http(), 'http:'],
    [https(), 'https:'],
  ] as const) {
    const target = module as unknown as Record<'request' | 'get', RequestFunction> & Record<symbol, boolean>;
    if (target[WRAPPED]) continue;
    target[WRAPPED] = true;
    for (const name of ['request', 'get'] as const) {
      const original = target[name];
      target[name] = function wrapped(this: unknown, ...args: unknown[]): ClientRequest {
        const prepared = prepare(args, protocol, beforeRequest);
        const request = original.apply(this, prepared?.args ?? args);
        prepared?.onCreated?.(request);
        return request;
      };
    }
  }
  nodeModule().syncBuiltinESMExports();
}

function prepare(
  args: unknown[],
  defaultProtocol: string,
  beforeRequest: BeforeRequest,
): { args: unknown[]; onCreated?: (request: ClientRequest) => void } | undefined {
  try {
    const first = args[0];
    const urlArg = typeof first === 'string' || first instanceof URL ? new URL(String(first)) : undefined;
    const optionsIndex = urlArg ? 1 : 0;
    const rawOptions = args[optionsIndex];
    const options: RequestOptions =
      rawOptions && typeof rawOptions === 'object' ? (rawOptions as RequestOptions) : {};
    if (
      options.headers !== undefined &&
      (typeof options.headers !== 'object' || Array.isArray(options.headers))
    ) {
      return undefined;
    }
    const headers: OutgoingHttpHeaders = { ...(options.headers as OutgoingHttpHeaders | undefined) };
    const onCreated = beforeRequest(
      targetUrl(urlArg, options, defaultProtocol),
      (options.method ?? 'GET').toUpperCase(),
      headers,
    );
    const next = [...args];
    // Object.assign, not `{ ...options, headers }`: Node 20 builds that on a slow path (~1 µs).
    const withHeaders = Object.assign({}, options, { headers });
    if (rawOptions && typeof rawOptions === 'object') next[optionsIndex] = withHeaders;
    else next.splice(optionsIndex, 0, withHeaders);
    return { args: next, onCreated };
  } catch {
    return undefined;
  }
}

function targetUrl(url: URL | undefined, options: RequestOptions, defaultProtocol: string): string {
  const protocol = options.protocol ?? url?.protocol ?? defaultProtocol;
  const host = options.hostname ?? options.host ?? url?.hostname ?? 'localhost';
  const port = options.port ?? url?.port;
  const path = options.path ?? (url ? `${url.pathname}${url.search}` : '/');
  return `${protocol}//${host}${port ? `:${port}` : ''}${path}`;
}
