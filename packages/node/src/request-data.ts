/**
 * The `request` an event carries, built from an incoming request with the SDK's PII rules:
 * - cookies, the `cookie`/`authorization`/`proxy-authorization`/`set-cookie` headers, client IPs (socket
 *   address and forwarding headers) and bodies appear only when `sendDefaultPii` is on;
 * - header and query parameter NAMES matching the sensitive deny-list always have their values replaced by
 *   `[Filtered]`, with `sendDefaultPii` on too. This follows Sentry's data-collection default for headers and
 *   query parameters (a deny-list mode that keeps the key and filters the value); only the headers listed
 *   above, which exist to carry credentials the user opted into sending, are exempt when PII is on.
 */

import type { RequestData, User } from '@faultline/core';
import { capturedRequestBody, handOverCapturedBody } from './request-body-capture';

/** The scope's `sdkProcessingMetadata` key holding the `RequestData` of the request being handled. */
export const REQUEST_DATA_METADATA_KEY = 'request';
/** Where HTTP instrumentation keeps the raw incoming request; its data is extracted only when an event needs it. */
export const INCOMING_REQUEST_METADATA_KEY = 'incomingRequest';

export const FILTERED = '[Filtered]';

const SENSITIVE_KEY =
  /(auth|token|secret|passw|pwd|api[-_]?key|session|cookie|csrf|xsrf|jwt|bearer|credential|private[-_]?key|x-api-key|signature)/i;
const PII_HEADERS = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);
/** Headers that reveal the client's address (Sentry's list plus `forwarded`). */
const IP_HEADERS = new Set([
  'x-forwarded-for',
  'x-real-ip',
  'forwarded',
  'forwarded-for',
  'x-forwarded',
  'x-client-ip',
  'x-cluster-client-ip',
  'cf-connecting-ip',
  'cf-pseudo-ipv4',
  'true-client-ip',
  'fastly-client-ip',
  'x-appengine-user-ip',
]);
const CLIENT_IP_HEADERS = [
  'x-forwarded-for',
  'x-real-ip',
  'cf-connecting-ip',
  'true-client-ip',
  'x-client-ip',
];
const URL_HEADERS = new Set(['referer', 'origin']);

export type IncomingHeaders = Record<string, string | string[] | number | undefined>;

/** What is read from an `http.IncomingMessage` (or a framework request built on it). */
export interface IncomingRequestLike {
  method?: string;
  url?: string;
  headers?: IncomingHeaders;
  socket?: { encrypted?: boolean; remoteAddress?: string } | null;
  /** A body a framework already parsed; the SDK never reads the request stream. */
  body?: unknown;
}

/** Where an `ArrivedRequest` keeps the request itself; `Symbol.for`, so both builds of the package agree. */
const ARRIVED_FROM = Symbol.for('faultline.node.arrivedFrom');

/**
 * An incoming request as the HTTP instrumentation saw it arrive: its fields are read once, before a
 * framework rewrites `url` for a mounted router or moves the request onto its own prototypes (Express
 * does both). Extraction then reads this plain object: the URL is the one the client sent, and no
 * lookup walks a framework's prototype chains (~2,500 instructions fewer per transaction).
 *
 * It holds neither the request nor its socket, only `encrypted` (and with `sendDefaultPii` the
 * client's address). It lives on the request's isolation scope, and every async resource the handler
 * creates keeps that scope: a pooled outgoing connection or a socket's timer outlives the request by
 * seconds. Through a reference, each kept the request's whole object graph (framework request and
 * response, parser state) that long, and V8 promoted it to the old generation: on Node 24 that grew the
 * heap by ~30 MB at 10,000 requests (errors-only, Express). Only `sendDefaultPii` needs the request
 * itself (marked by a symbol, which a caller's own request object cannot have by accident), for a
 * body a framework parses later; `releaseArrivedRequest` lets it go when the response closes.
 */
export interface ArrivedRequest extends IncomingRequestLike {
  [ARRIVED_FROM]?: IncomingRequestLike;
}

/** The socket as extraction sees it, shared by every request without `sendDefaultPii`. */
const PLAIN_SOCKET = Object.freeze({ encrypted: false });
const ENCRYPTED_SOCKET = Object.freeze({ encrypted: true });

export function arrivedRequest(request: IncomingRequestLike, sendDefaultPii: boolean): ArrivedRequest {
  const encrypted = request.socket?.encrypted === true;
  const { method, url, headers } = request;
  if (!sendDefaultPii) return { method, url, headers, socket: encrypted ? ENCRYPTED_SOCKET : PLAIN_SOCKET };
  const arrived: ArrivedRequest = {
    method,
    url,
    headers,
    socket: { encrypted, remoteAddress: request.socket?.remoteAddress },
  };
  arrived[ARRIVED_FROM] = request;
  return arrived;
}

/** The request is done: its body (parsed or captured) stays for later events, the request goes. */
export function releaseArrivedRequest(arrived: ArrivedRequest): void {
  const source = arrived[ARRIVED_FROM];
  if (!source) return;
  arrived.body = source.body;
  handOverCapturedBody(source, arrived);
  arrived[ARRIVED_FROM] = undefined;
}

export interface RequestDataIncludeOptions {
  cookies?: boolean;
  data?: boolean;
  headers?: boolean;
  ip?: boolean;
  queryString?: boolean;
}

export interface ExtractRequestDataOptions {
  sendDefaultPii?: boolean;
  /** Narrows what is collected; PII parts still need `sendDefaultPii`. Everything defaults to true. */
  include?: RequestDataIncludeOptions;
}

export function isSensitiveKey(name: string): boolean {
  return SENSITIVE_KEY.test(name);
}

function headerValue(value: string | string[] | number | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.join(name === 'set-cookie' || name === 'cookie' ? '; ' : ', ');
  return String(value);
}

function firstHeader(headers: IncomingHeaders, name: string): string | undefined {
  const value = headerValue(headers[name], name);
  if (value === undefined) return undefined;
  const comma = value.indexOf(',');
  return (comma === -1 ? value : value.slice(0, comma)).trim() || undefined;
}

/** Replaces the values of sensitive parameters, leaving every other byte of the query as it was. */
export function scrubQueryString(query: string): string {
  if (!query) return query;
  return query
    .split('&')
    .map((pair) => {
      const separator = pair.indexOf('=');
      const rawKey = separator === -1 ? pair : pair.slice(0, separator);
      let key = rawKey;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      } catch {
        // A malformed escape still gets checked in its raw form.
      }
      return isSensitiveKey(key) ? `${rawKey}=${FILTERED}` : pair;
    })
    .join('&');
}

function splitUrl(url: string): { path: string; query: string } {
  const hash = url.indexOf('#');
  const withoutFragment = hash === -1 ? url : url.slice(0, hash);
  const questionMark = withoutFragment.indexOf('?');
  if (questionMark === -1) return { path: withoutFragment, query: '' };
  return { path: withoutFragment.slice(0, questionMark), query: withoutFragment.slice(questionMark + 1) };
}

/** Credentials in an absolute URL never reach an event. */
function withoutUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1');
}

function scrubUrlHeader(value: string): string {
  const { path, query } = splitUrl(withoutUserInfo(value));
  return query ? `${path}?${scrubQueryString(query)}` : path;
}

/** `scheme://host/path` of the request, without query string, fragment or credentials. */
function absoluteUrl(request: IncomingRequestLike, path: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return withoutUserInfo(path);
  const headers = request.headers ?? {};
  const protocol =
    firstHeader(headers, 'x-forwarded-proto') ?? (request.socket?.encrypted ? 'https' : 'http');
  const host = firstHeader(headers, 'x-forwarded-host') ?? firstHeader(headers, 'host') ?? 'localhost';
  return `${protocol}://${host}${path.startsWith('/') ? path : `/${path}`}`;
}

/** What happens to a header's value: kept, scrubbed as a URL, filtered, or kept only with PII on. */
const PLAIN = 0;
const URL_VALUE = 1;
const SENSITIVE = 2;
const PII = 3;
type HeaderKind = typeof PLAIN | typeof URL_VALUE | typeof SENSITIVE | typeof PII;

/**
 * Header names repeat from request to request, so each name's kind is kept: the sensitive-name
 * expression no longer runs for every header of every event. Bounded, as names come from clients.
 */
const headerKinds = new Map<string, HeaderKind>();
const MAX_KNOWN_HEADER_NAMES = 512;

function headerKind(name: string): HeaderKind {
  let kind = headerKinds.get(name);
  if (kind !== undefined) return kind;
  kind =
    PII_HEADERS.has(name) || IP_HEADERS.has(name)
      ? PII
      : isSensitiveKey(name)
        ? SENSITIVE
        : URL_HEADERS.has(name)
          ? URL_VALUE
          : PLAIN;
  if (headerKinds.size < MAX_KNOWN_HEADER_NAMES) headerKinds.set(name, kind);
  return kind;
}

function collectHeaders(headers: IncomingHeaders, sendDefaultPii: boolean): Record<string, string> {
  const collected: Record<string, string> = {};
  for (const rawName of Object.keys(headers)) {
    const name = rawName.toLowerCase();
    const value = headerValue(headers[rawName], name);
    if (value === undefined) continue;
    const kind = headerKind(name);
    if (kind === PII) {
      if (sendDefaultPii) collected[name] = value;
    } else {
      collected[name] = kind === SENSITIVE ? FILTERED : kind === URL_VALUE ? scrubUrlHeader(value) : value;
    }
  }
  return collected;
}

export function parseCookies(cookieHeader: string): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator <= 0) continue;
    const name = part.slice(0, separator).trim();
    let value = part.slice(separator + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}

/** The client's address: the first forwarding header that names one, else the socket's peer. */
export function getClientIpAddress(request: IncomingRequestLike): string | undefined {
  const headers = request.headers ?? {};
  for (const name of CLIENT_IP_HEADERS) {
    const address = firstHeader(headers, name);
    if (address) return address;
  }
  return request.socket?.remoteAddress || undefined;
}

function requestBody(body: unknown): RequestData['data'] {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body || undefined;
  if (body instanceof Uint8Array) return undefined;
  return typeof body === 'object' ? body : String(body);
}

/** The event `request` for an incoming request; see the module comment for what PII rules apply. */
export function extractRequestData(
  request: IncomingRequestLike,
  options: ExtractRequestDataOptions = {},
): RequestData {
  const sendDefaultPii = options.sendDefaultPii === true;
  // Every part defaults to included; read in place rather than merged into a defaults object per event.
  const include = options.include ?? {};
  const headers = request.headers ?? {};
  const { path, query } = splitUrl(request.url ?? '/');
  const data: RequestData = { url: absoluteUrl(request, path || '/') };
  if (request.method) data.method = request.method.toUpperCase();
  if (include.queryString !== false && query) data.query_string = scrubQueryString(query);
  if (include.headers !== false) data.headers = collectHeaders(headers, sendDefaultPii);
  if (!sendDefaultPii) return data;

  const cookieHeader = headerValue(headers.cookie, 'cookie');
  if (include.cookies !== false && cookieHeader) data.cookies = parseCookies(cookieHeader);
  const source = (request as Partial<ArrivedRequest>)[ARRIVED_FROM] ?? request;
  const body = include.data !== false ? requestBody(source.body ?? capturedRequestBody(source)) : undefined;
  if (body !== undefined) data.data = body;
  const ip = include.ip !== false ? getClientIpAddress(request) : undefined;
  if (ip) data.env = { REMOTE_ADDR: ip };
  return data;
}

/** `user` from an authenticated request's user object (e.g. `req.user`), only when `sendDefaultPii` is on. */
export function extractUserFromRequest(
  requestUser: unknown,
  options: { sendDefaultPii?: boolean } = {},
): User | undefined {
  if (options.sendDefaultPii !== true || typeof requestUser !== 'object' || requestUser === null) {
    return undefined;
  }
  const source = requestUser as Record<string, unknown>;
  const user: User = {};
  if (typeof source.id === 'string' || typeof source.id === 'number') user.id = source.id;
  for (const key of ['username', 'email', 'ip_address'] as const) {
    const value = source[key];
    if (typeof value === 'string' && value) user[key] = value;
  }
  return Object.keys(user).length ? user : undefined;
}
