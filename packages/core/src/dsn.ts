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

const DSN_PATTERN = /^(https?):\/\/([^:@/]+)(?::([^@/]*))?@([^/?#]+)(\/[^?#]*)?$/;

/** Parses a DSN. Returns undefined (never throws) when it is not a valid DSN. */
export function parseDsn(input: string): Dsn | undefined {
  const match = DSN_PATTERN.exec(input.trim());
  if (!match) return undefined;
  const [, protocol, publicKey, secretKey, hostAndPort, rawPath = ''] = match;
  const hostMatch = /^(\[[0-9a-fA-F:.]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(hostAndPort!);
  if (!hostMatch) return undefined;
  const segments = rawPath.split('/').filter(Boolean);
  const projectId = segments.pop();
  if (!projectId || !/^\d+$/.test(projectId)) return undefined;
  return {
    protocol: protocol as Dsn['protocol'],
    publicKey: publicKey!,
    ...(secretKey ? { secretKey } : {}),
    host: hostMatch[1]!,
    ...(hostMatch[2] ? { port: hostMatch[2] } : {}),
    path: segments.join('/'),
    projectId,
  };
}

export function dsnToString(dsn: Dsn, withSecret = false): string {
  const auth = withSecret && dsn.secretKey ? `${dsn.publicKey}:${dsn.secretKey}` : dsn.publicKey;
  return `${dsn.protocol}://${auth}@${dsnHost(dsn)}/${dsn.path ? `${dsn.path}/` : ''}${dsn.projectId}`;
}

function dsnHost(dsn: Dsn): string {
  return dsn.port ? `${dsn.host}:${dsn.port}` : dsn.host;
}

/** `{BASE_URI}/api/{PROJECT_ID}/envelope/` */
export function envelopeEndpoint(dsn: Dsn): string {
  return `${dsn.protocol}://${dsnHost(dsn)}/${dsn.path ? `${dsn.path}/` : ''}api/${dsn.projectId}/envelope/`;
}

/** The envelope endpoint with auth in the query string, the form browsers can send without preflight. */
export function envelopeEndpointWithAuth(dsn: Dsn, sdk: { name: string; version: string }): string {
  const query = `sentry_version=7&sentry_key=${encodeURIComponent(dsn.publicKey)}&sentry_client=${encodeURIComponent(
    `${sdk.name}/${sdk.version}`,
  )}`;
  return `${envelopeEndpoint(dsn)}?${query}`;
}

/** The org id of a SaaS ingest host (`o123.ingest.sentry.io`), used for `sentry-org_id`. */
export function orgIdFromDsn(dsn: Dsn): string | undefined {
  return /^o(\d+)\./.exec(dsn.host)?.[1];
}
