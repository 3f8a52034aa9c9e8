/** DSN parsing and the envelope endpoint it implies (PROTOCOL.md §1.1, §1.2). */

export interface Dsn {
  protocol: 'http' | 'https';
  publicKey: string;
  /** Deprecated by the protocol; kept only so a DSN round-trips. */
  secretKey?: string;
  host: string;
  port?: string;
  /** Path between host and project id, without leading or trailing slash. */
  path: string;
  projectId: string;
}

/** Scheme, public key, deprecated secret key, host (a name or a bracketed IPv6 address), port, path. */
const DSN_PATTERN =
  /^(https?):\/\/([^:@/]+)(?::([^@/]*))?@(\[[0-9a-fA-F:.]+\]|[^:/?#]+)(?::(\d{1,5}))?(\/[^?#]*)?$/;

/** Parses a DSN. Returns undefined (never throws) when it is not a valid DSN. */
export function parseDsn(input: string): Dsn | undefined {
  const match = DSN_PATTERN.exec(input.trim());
  if (!match) return undefined;
  const [, protocol, publicKey, secretKey, host, port, rawPath = ''] = match;
  const segments = rawPath.split('/').filter(Boolean);
  const projectId = segments.pop();
  if (!projectId || !/^\d+$/.test(projectId)) return undefined;
  const dsn: Dsn = {
    protocol: protocol as Dsn['protocol'],
    publicKey: publicKey!,
    host: host!,
    path: segments.join('/'),
    projectId,
  };
  if (secretKey) dsn.secretKey = secretKey;
  if (port) dsn.port = port;
  return dsn;
}

/** `{scheme}://{auth}{host}[:{port}]/[{path}/]`: what the DSN and the endpoint start with. */
const baseUri = (dsn: Dsn, auth = ''): string =>
  `${dsn.protocol}://${auth}${dsn.host}${dsn.port ? `:${dsn.port}` : ''}/${dsn.path ? `${dsn.path}/` : ''}`;

export function dsnToString(dsn: Dsn, withSecret = false): string {
  const secret = withSecret && dsn.secretKey ? `:${dsn.secretKey}` : '';
  return `${baseUri(dsn, `${dsn.publicKey}${secret}@`)}${dsn.projectId}`;
}

/** `{BASE_URI}/api/{PROJECT_ID}/envelope/` */
export function envelopeEndpoint(dsn: Dsn): string {
  return `${baseUri(dsn)}api/${dsn.projectId}/envelope/`;
}

/** The envelope endpoint with auth in the query string, the form browsers can send without preflight. */
export function envelopeEndpointWithAuth(dsn: Dsn, sdk: { name: string; version: string }): string {
  return `${envelopeEndpoint(dsn)}?sentry_version=7&sentry_key=${encodeURIComponent(dsn.publicKey)}&sentry_client=${encodeURIComponent(
    `${sdk.name}/${sdk.version}`,
  )}`;
}

/** The org id of a SaaS ingest host (`o123.ingest.sentry.io`), used for `sentry-org_id`. */
export function orgIdFromDsn(dsn: Dsn): string | undefined {
  return /^o(\d+)\./.exec(dsn.host)?.[1];
}
