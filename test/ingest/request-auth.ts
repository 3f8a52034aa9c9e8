/**
 * Who a request claims to be (PROTOCOL.md §1.2): `X-Sentry-Auth` (or `Authorization: Sentry ...`), the
 * `sentry_key` query string, or the envelope header `dsn`. Status codes follow Relay:
 * - no credentials at all ⇒ 403 (PROTOCOL.md §1.2/§6.1);
 * - unparsable credentials (no `sentry_key`) ⇒ 401 (Relay `BadEventMeta::BadAuth` → UNAUTHORIZED);
 * - request forms that disagree, or an envelope `dsn` that disagrees with the request ⇒ 400
 *   (Relay `EnvelopeError::HeaderMismatch`, an invalid envelope);
 * - a well-formed key or project this ingest does not know ⇒ 403 (Relay rejects with
 *   `event submission rejected with_reason: ProjectId`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parseDsn } from '../../packages/core/src/dsn';

export interface IngestIdentity {
  publicKey: string;
  projectId: string;
}

export class AuthError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The public key the request itself carries (header or query), undefined when it carries none. */
export function requestPublicKey(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const fromHeader = headerPublicKey(headers);
  const fromQuery = queryPublicKey(query);
  if (fromHeader !== undefined && fromQuery !== undefined && fromHeader !== fromQuery) {
    throw new AuthError(400, 'multiple authorization payloads detected that do not agree (header vs query)');
  }
  return fromHeader ?? fromQuery;
}

/**
 * Reconciles the request's key with the envelope header `dsn` and checks both against the ingest's
 * identity. `projectId` is the one in the request path.
 */
export function authenticate(
  requestKey: string | undefined,
  envelopeDsn: unknown,
  projectId: string,
  identity: IngestIdentity,
): void {
  let publicKey = requestKey;
  if (typeof envelopeDsn === 'string') {
    const dsn = parseDsn(envelopeDsn);
    if (!dsn) throw new AuthError(400, 'invalid envelope dsn header');
    if (dsn.projectId !== projectId) {
      throw new AuthError(400, 'project id header mismatch between envelope and request');
    }
    if (publicKey !== undefined && dsn.publicKey !== publicKey) {
      throw new AuthError(400, 'public key header mismatch between envelope and request');
    }
    publicKey = dsn.publicKey;
  }
  if (publicKey === undefined) throw new AuthError(403, 'missing authorization information');
  if (publicKey !== identity.publicKey || projectId !== identity.projectId) {
    throw new AuthError(403, 'event submission rejected with_reason: ProjectId');
  }
}

function headerPublicKey(headers: IncomingHttpHeaders): string | undefined {
  const sentryAuth = headers['x-sentry-auth'];
  const authorization = headers.authorization;
  const value =
    (Array.isArray(sentryAuth) ? sentryAuth[0] : sentryAuth) ??
    (authorization && /^sentry\s/i.test(authorization) ? authorization : undefined);
  if (value === undefined) return undefined;
  const match = /^\s*sentry\s+(.*)$/is.exec(value);
  if (!match) throw new AuthError(401, 'bad x-sentry-auth header: it must start with "Sentry "');
  const pairs = new Map(
    match[1]!
      .split(',')
      .map((pair) => pair.trim().split('=', 2) as [string, string | undefined])
      .map(([key, pairValue]) => [key.trim(), pairValue?.trim() ?? ''] as const),
  );
  const key = pairs.get('sentry_key');
  if (!key) throw new AuthError(401, 'bad x-sentry-auth header: missing sentry_key');
  return key;
}

function queryPublicKey(query: URLSearchParams): string | undefined {
  if (![...query.keys()].some((key) => key.startsWith('sentry_'))) return undefined;
  const key = query.get('sentry_key');
  if (!key) throw new AuthError(401, 'bad query authentication: missing sentry_key');
  return key;
}
