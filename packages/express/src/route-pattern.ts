/**
 * Parameterised paths from Express layers: the route's registered path, and the pattern of each
 * mount (`app.use('/orgs/:org', router)`) the request went through, so nested routers name
 * `GET /orgs/:org/users/:id` rather than the concrete URL.
 */
import type { ExpressLayer, RoutePath } from './express-internals';

/** A registered path as text: arrays joined with `,`, regular expressions as their source text. */
export function formatRoutePath(path: RoutePath): string {
  if (Array.isArray(path)) return path.map((part) => formatRoutePath(part)).join(',');
  return typeof path === 'string' ? path : String(path);
}

/** The full route: the mounts' pattern followed by the route's own path. */
export function joinRoute(base: string, routePath: string): string {
  if (!base) return routePath || '/';
  if (routePath === '/' || routePath === '') return base;
  return base + routePath;
}

/**
 * The pattern a mount layer added to the request's base URL. Router ≥ 2.3 keeps the registered path
 * (`rawPath`); Express 4 and older routers keep only the matched text and its parameter values, so
 * the pattern is rebuilt by putting `:name` back in place of each parameter's segment.
 */
export function mountPattern(layer: ExpressLayer): string {
  if (layer.slash || layer.regexp?.fast_slash) return '';
  if (layer.rawPath !== undefined) return withoutTrailingSlash(formatRoutePath(layer.rawPath));
  if (layer.regexp?.fast_star) return '*';
  const matched = withoutTrailingSlash(layer.path ?? '');
  return layer.params ? parameterize(matched, layer.params) : matched;
}

function parameterize(matched: string, params: Record<string, string>): string {
  const segments = matched.split('/');
  let searchEnd = segments.length;
  const entries = Object.entries(params).filter(([name]) => !/^\d+$/.test(name));
  for (let entry = entries.length - 1; entry >= 0; entry--) {
    const [name, value] = entries[entry] as [string, string];
    for (let index = searchEnd - 1; index > 0; index--) {
      const segment = segments[index] as string;
      if (segment === value || safeDecode(segment) === value) {
        segments[index] = `:${name}`;
        searchEnd = index;
        break;
      }
    }
  }
  return segments.join('/');
}

function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path === '/' ? '' : path;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
