/** The route template a Fastify request matched, or undefined when none did (404). */
import type { FastifyRequest } from 'fastify';

type AnyFastifyRequest = FastifyRequest & {
  /** Fastify 4 before 4.10 (deprecated and warned about afterwards, removed in 5). */
  routerPath?: string;
  is404?: boolean;
};

interface RouteContext {
  config?: { url?: string };
}

/** Fastify 4 and 5 keep a request's route context under this own symbol (`is404` reads it too). */
const ROUTE_CONTEXT_DESCRIPTION = 'fastify.context';

/**
 * One reader per plugin registration: each Fastify copy in a process (4 and 5 side by side) has its
 * own symbol. The public `request.routeOptions` getter builds a 12-field object on every read, a
 * cost paid on each request; the route context it reads from is the fallback's source too.
 */
export function makeRouteReader(): (request: FastifyRequest) => string | undefined {
  let contextKey: symbol | null | undefined;
  return (request) => {
    if (contextKey === undefined) contextKey = findRouteContextKey(request);
    if (contextKey === null) return routeFromPublicApi(request as AnyFastifyRequest);
    const context = (request as unknown as Record<symbol, RouteContext | undefined>)[contextKey];
    return context?.config?.url || undefined;
  };
}

function findRouteContextKey(request: FastifyRequest): symbol | null {
  const key = Object.getOwnPropertySymbols(request).find((s) => s.description === ROUTE_CONTEXT_DESCRIPTION);
  const context = key && (request as unknown as Record<symbol, RouteContext | undefined>)[key];
  return key && typeof context === 'object' && context !== null && 'config' in context ? key : null;
}

function routeFromPublicApi(request: AnyFastifyRequest): string | undefined {
  if (request.is404) return undefined;
  const routeOptions = request.routeOptions as { url?: string } | undefined;
  return routeOptions ? routeOptions.url || undefined : request.routerPath || undefined;
}
