/**
 * What framework packages share once they know which route matched: the request's root span and
 * the errors captured while handling it are named `METHOD /route/:param` (source `route`), with
 * `http.route` on the span. Works with tracing off too (the isolation scope's transaction name).
 */
import type { ServerResponse } from 'node:http';
import { getIsolationScope } from '@faultline/core';
import { getServerSpan } from './request-slots';

export function nameRequestAfterRoute(response: ServerResponse, method: string, route: string): void {
  const name = `${method.toUpperCase()} ${route}`;
  getIsolationScope().setTransactionName(name);
  const span = getServerSpan(response);
  span?.updateName(name, 'route');
  span?.setAttribute('http.route', route);
}
