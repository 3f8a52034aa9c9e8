import { describe, expect, it } from 'vitest';
import type { ExpressLayer } from '../src/express-internals';
import { formatRoutePath, joinRoute, mountPattern } from '../src/route-pattern';

const layer = (fields: Partial<ExpressLayer>): ExpressLayer => ({ handle: () => undefined, ...fields });

describe('route patterns', () => {
  it('formats strings, arrays and regular expressions as registered', () => {
    expect(formatRoutePath('/users/:id')).toBe('/users/:id');
    expect(formatRoutePath(['/a/:id', /^\/b$/])).toBe('/a/:id,/^\\/b$/');
  });

  it('joins mount patterns and route paths without doubled or trailing slashes', () => {
    expect(joinRoute('', '/users/:id')).toBe('/users/:id');
    expect(joinRoute('/api', '/')).toBe('/api');
    expect(joinRoute('', '')).toBe('/');
    expect(joinRoute('/api/v1', '/users')).toBe('/api/v1/users');
  });

  it('uses the registered mount path when the router keeps it (router ≥ 2.3)', () => {
    expect(mountPattern(layer({ rawPath: '/orgs/:org/', path: '/orgs/acme' }))).toBe('/orgs/:org');
    expect(mountPattern(layer({ rawPath: '/', slash: true }))).toBe('');
  });

  it('rebuilds Express 4 mount patterns from the matched text and parameters', () => {
    const fastSlash = Object.assign(/^\/?(?=\/|$)/i, { fast_slash: true });
    expect(mountPattern(layer({ regexp: fastSlash, path: '' }))).toBe('');
    expect(mountPattern(layer({ regexp: /x/, path: '/orgs/acme/', params: { org: 'acme' } }))).toBe(
      '/orgs/:org',
    );
    expect(mountPattern(layer({ regexp: /x/, path: '/orgs/orgs', params: { org: 'orgs' } }))).toBe(
      '/orgs/:org',
    );
    expect(
      mountPattern(layer({ regexp: /x/, path: '/t/a%20b/p/1', params: { team: 'a b', project: '1' } })),
    ).toBe('/t/:team/p/:project');
    expect(mountPattern(layer({ regexp: /x/, path: '/v2', params: { 0: '2' } }))).toBe('/v2');
  });
});
