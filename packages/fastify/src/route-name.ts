/** The route template a Fastify request matched, or undefined when none did (404). */
import type { FastifyRequest } from 'fastify';

type AnyFastifyRequest = FastifyRequest & {
  /** Fastify 4 before 4.10 (deprecated and warned about afterwards, removed in 5). */
  routerPath?: string;
  is404?: boolean;
};

export function routeOfRequest(request: FastifyRequest): string | undefined {
  const anyRequest = request as AnyFastifyRequest;
  if (anyRequest.is404) return undefined;
  const routeOptions = anyRequest.routeOptions as { url?: string } | undefined;
  return routeOptions ? routeOptions.url || undefined : anyRequest.routerPath || undefined;
}
