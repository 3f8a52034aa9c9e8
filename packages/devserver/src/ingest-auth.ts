/**
 * Who sent an envelope (PROTOCOL.md §1.2): the public key from the `X-Sentry-Auth` header, the
 * `sentry_key` query parameter or the envelope's `dsn` header. Forms that disagree are rejected, as Relay
 * does; any key is welcome unless the server was given a list.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { IngestError } from './ingest-error';

export interface IngestAuthInput {
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
  /** The envelope header `dsn`, already validated by the envelope parser. */
  envelopeDsn?: string;
  /** The project id from the URL. */
  project: string;
}

export function authenticate(input: IngestAuthInput, allowedKeys: ReadonlySet<string> | undefined): string {
  const headerKey = keyFromAuthHeader(input.headers['x-sentry-auth'] ?? input.headers.authorization);
  const queryKey = input.query.get('sentry_key') ?? undefined;
  const dsn = input.envelopeDsn ? new URL(input.envelopeDsn) : undefined;
  const dsnKey = dsn ? decodeURIComponent(dsn.username) : undefined;
  if (dsn) {
    const dsnProject = dsn.pathname.split('/').filter(Boolean).pop();
    if (dsnProject !== input.project) {
      throw new IngestError(
        400,
        `the envelope dsn's project id ${dsnProject} does not match the URL's ${input.project}`,
      );
    }
  }
  const keys = new Set([headerKey, queryKey, dsnKey].filter((key): key is string => Boolean(key)));
  if (keys.size === 0) throw new IngestError(403, 'missing authorization information');
  if (keys.size > 1) throw new IngestError(400, 'the public keys in the request do not match');
  const [key] = keys as unknown as [string];
  if (allowedKeys && !allowedKeys.has(key)) throw new IngestError(403, `unknown public key ${key}`);
  return key;
}

/** `Sentry sentry_key=abc, sentry_version=7, …` (any order, `Sentry ` prefix optional). */
function keyFromAuthHeader(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const match = /(?:^|[\s,])sentry_key\s*=\s*([^,\s]+)/.exec(value.replace(/^\s*sentry\s+/i, ' '));
  return match?.[1];
}
