/**
 * Which proxy, if any, a request to a URL goes through, following the conventions of curl and most
 * HTTP tools: `HTTPS_PROXY` for https targets, `HTTP_PROXY` for http targets (lower-case names win),
 * unless `NO_PROXY` lists the host. `NO_PROXY` entries are comma or space separated: `*` (no proxy at
 * all), `example.com` (that host and its subdomains), `.example.com` or `*.example.com` (subdomains
 * and the domain itself), each optionally with `:port` to match only that port. CIDR ranges are not
 * supported.
 */

type Environment = Record<string, string | undefined>;

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

export function proxyForUrl(target: URL, env: Environment = process.env): string | undefined {
  const proxy =
    target.protocol === 'https:'
      ? readVariable(env, 'https_proxy')
      : target.protocol === 'http:'
        ? readVariable(env, 'http_proxy')
        : undefined;
  if (!proxy || isExcludedByNoProxy(target, readVariable(env, 'no_proxy'))) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

export function isExcludedByNoProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const hostname = stripBrackets(target.hostname.toLowerCase());
  const port = target.port || DEFAULT_PORTS[target.protocol] || '';
  for (const rawEntry of noProxy.split(/[\s,]+/)) {
    const entry = rawEntry.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const { host, port: entryPort } = splitHostPort(entry);
    if (entryPort && entryPort !== port) continue;
    const domain = host.replace(/^\*?\./, '');
    if (hostname === domain || hostname.endsWith(`.${domain}`)) return true;
  }
  return false;
}

function readVariable(env: Environment, lowerCaseName: string): string | undefined {
  const value = env[lowerCaseName] ?? env[lowerCaseName.toUpperCase()];
  return value?.trim() || undefined;
}

function splitHostPort(entry: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] };
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (withPort) return { host: withPort[1], port: withPort[2] };
  return { host: entry };
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
