import { describe, expect, it } from 'vitest';
import { isExcludedByNoProxy, proxyForUrl } from '../src/proxy-from-env';

describe('proxyForUrl', () => {
  it('picks the variable of the target scheme, lower case first', () => {
    const env = {
      HTTPS_PROXY: 'http://secure:3128',
      http_proxy: 'http://plain:3128',
      HTTP_PROXY: 'http://upper:1',
    };
    expect(proxyForUrl(new URL('https://o1.ingest.example/api/1/envelope/'), env)).toBe('http://secure:3128');
    expect(proxyForUrl(new URL('http://ingest.local/api/1/envelope/'), env)).toBe('http://plain:3128');
    expect(
      proxyForUrl(new URL('https://ingest.local/'), { HTTP_PROXY: 'http://plain:3128' }),
    ).toBeUndefined();
    expect(proxyForUrl(new URL('http://ingest.local/'), {})).toBeUndefined();
  });

  it('adds http:// to a proxy given as host:port', () => {
    expect(proxyForUrl(new URL('http://ingest.local/'), { HTTP_PROXY: 'proxy:8080' })).toBe(
      'http://proxy:8080',
    );
  });

  it('honours NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.internal' };
    expect(proxyForUrl(new URL('https://ingest.internal/'), env)).toBeUndefined();
    expect(proxyForUrl(new URL('https://ingest.example/'), env)).toBe('http://proxy:3128');
  });
});

describe('isExcludedByNoProxy', () => {
  const excluded = (url: string, noProxy: string) => isExcludedByNoProxy(new URL(url), noProxy);

  it('matches hosts, their subdomains and suffix entries', () => {
    expect(excluded('http://example.com/', 'example.com')).toBe(true);
    expect(excluded('http://api.example.com/', 'example.com')).toBe(true);
    expect(excluded('http://notexample.com/', 'example.com')).toBe(false);
    expect(excluded('http://api.example.com/', '.example.com')).toBe(true);
    expect(excluded('http://api.example.com/', '*.example.com')).toBe(true);
    expect(excluded('http://EXAMPLE.com/', 'Example.COM')).toBe(true);
  });

  it('matches ports, with the scheme default when the URL has none', () => {
    expect(excluded('http://example.com:8080/', 'example.com:8080')).toBe(true);
    expect(excluded('http://example.com:9090/', 'example.com:8080')).toBe(false);
    expect(excluded('http://example.com/', 'example.com:80')).toBe(true);
    expect(excluded('https://example.com/', 'example.com:80')).toBe(false);
  });

  it('handles lists, *, IPs and IPv6', () => {
    expect(excluded('http://10.0.0.1/', 'localhost, 10.0.0.1 other')).toBe(true);
    expect(excluded('http://anything/', '*')).toBe(true);
    expect(excluded('http://[::1]:3000/', '::1')).toBe(true);
    expect(excluded('http://[::1]:3000/', '[::1]:3000')).toBe(true);
    expect(excluded('http://[::1]:3000/', '[::1]:4000')).toBe(false);
    expect(excluded('http://example.com/', '')).toBe(false);
  });
});
