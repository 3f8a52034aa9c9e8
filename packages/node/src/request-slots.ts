/**
 * Per-request SDK state kept as own properties of node:http's request and response objects, under
 * `Symbol.for` keys (so the ESM and CJS builds of this package share them), rather than in WeakMaps
 * keyed by those objects.
 *
 * Why not WeakMaps: V8 keeps each entry as an ephemeron, and a table of entries whose keys die young
 * is work for every scavenge. One entry per request cost ~0.8–0.9 µs of CPU on Node 20 and 24
 * (bench/results/2026-11-28-weakmap-per-request.md), a property write ~20 ns.
 *
 * Why seeded on arrival: Express gives each request and response its app's prototype, and Node 20's V8
 * then adds a property to such an object on a slow path (~2.7 µs). The HTTP server instrumentation
 * writes every slot while the objects still have node:http's own shapes; later writes change the value
 * of a property the object already has, which stays on the fast path. It writes them with tracing off
 * too: reading a property an Express response does not have is a megamorphic miss that V8 answers by
 * walking the prototype chain in its runtime (~6,000 instructions), and frameworks read the root span
 * on every request to name it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@faultline/core';

const SERVER_SPAN = Symbol.for('faultline.node.serverSpan');
const FRAMEWORK_STATE = Symbol.for('faultline.node.frameworkState');

type Slots = Record<symbol, unknown>;

/** Called by the HTTP server instrumentation for every request before any listener sees it. */
export function seedRequestSlots(request: IncomingMessage, response: ServerResponse, span?: Span): void {
  (request as unknown as Slots)[FRAMEWORK_STATE] = undefined;
  (response as unknown as Slots)[SERVER_SPAN] = span;
}

/** The root span of the request a response belongs to; frameworks read it to name the transaction. */
export function getServerSpan(response: ServerResponse): Span | undefined {
  return (response as unknown as Slots)[SERVER_SPAN] as Span | undefined;
}

/**
 * The per-request state of the framework integration handling `request` (one framework handles a
 * request): undefined until it sets some.
 */
export function getFrameworkState<T extends object>(request: object): T | undefined {
  return (request as Slots)[FRAMEWORK_STATE] as T | undefined;
}

export function setFrameworkState(request: object, state: object): void {
  (request as Slots)[FRAMEWORK_STATE] = state;
}
