/**
 * One wrap of Express's `Layer.prototype.handle_request` (Express 4) / `handleRequest` (router 2.x,
 * Express 5), shared by every app and router built from that copy of Express. Before each layer runs
 * it names the request after the matched route, keeps track of the mount patterns the request went
 * through, and optionally traces the layer. Error handling layers are left alone.
 *
 * Mounts: each router invocation has its own `next` (`req.next`), so the parameterised prefix of a
 * router is stored on that function; a mount layer leaves its full pattern in `pending` for the
 * router it is about to enter.
 */
import {
  getClient,
  getFrameworkState,
  getServerSpan,
  hasSpansEnabled,
  nameRequestAfterRoute,
  recordsChildren,
  setFrameworkState,
  setServerTimingTraceHeader,
} from '@faultline/node';
import type {
  ExpressApp,
  ExpressLayer,
  ExpressNext,
  ExpressRequest,
  ExpressResponse,
  RouterNext,
} from './express-internals';
import { routerStackOf } from './express-internals';
import { type LayerSpans, traceLayer, trackLayerSpans } from './layer-spans';
import { type ExpressHandlerOptions, HANDLER_OPTIONS } from './options';
import { setUserFromRequest } from './request-user';
import { formatRoutePath, joinRoute, mountPattern } from './route-pattern';
import { checkErrorHandlerPosition, isOurErrorHandler, watchForUnreportedErrors } from './setup-checks';

const WRAPPED = Symbol.for('faultline.express.layerWrapped');
const BASE_PATTERN = Symbol.for('faultline.express.basePattern');
const HANDLE_METHODS = ['handle_request', 'handleRequest'] as const;

interface RequestState {
  /** The pattern of the mount entered last: the base of the next router invocation. */
  pending: string;
  route?: string;
  appSeen: boolean;
  spans?: LayerSpans;
}

type LayerPrototype = Record<string | symbol, unknown>;
type HandleRequest = (
  this: ExpressLayer,
  req: ExpressRequest,
  res: ExpressResponse,
  next: ExpressNext,
) => unknown;

/** Wraps a Layer prototype once; returns whether it looked like Express's. */
export function instrumentLayerPrototype(prototype: unknown): boolean {
  if (typeof prototype !== 'object' || prototype === null) return false;
  const target = prototype as LayerPrototype;
  const method = HANDLE_METHODS.find((name) => typeof target[name] === 'function');
  if (!method) return false;
  if (target[WRAPPED]) return true;
  target[WRAPPED] = true;
  const original = target[method] as HandleRequest;
  target[method] = function handleRequestWithFaultline(this: ExpressLayer, req, res, next) {
    return original.call(this, req, res, beforeLayer(this, req, res, next));
  } as HandleRequest;
  return true;
}

/** The Layer class of an app's router, found through a layer of its stack. */
export function instrumentAppLayers(app: ExpressApp): boolean {
  const layer = routerStackOf(app)?.at(-1);
  return layer !== undefined && instrumentLayerPrototype(Object.getPrototypeOf(layer));
}

function beforeLayer(
  layer: ExpressLayer,
  req: ExpressRequest,
  res: ExpressResponse,
  next: ExpressNext,
): ExpressNext {
  try {
    // In the slot the HTTP server instrumentation seeded on arrival, before Express gave `req` its
    // app's prototype: a property added after that costs ~2.7 µs on Node 20, a WeakMap entry ~0.8 µs.
    let state = getFrameworkState<RequestState>(req);
    if (!state) {
      state = { pending: '', appSeen: false, route: undefined, spans: undefined };
      setFrameworkState(req, state);
    }
    if (!state.appSeen && req.app) onAppKnown(state, req.app, res);
    const base = basePattern(state, req.next);
    if (layer.route) nameRoute(state, req, res, joinRoute(base, formatRoutePath(layer.route.path)));
    else if (!('method' in layer)) state.pending = base + mountPattern(layer);
    const traced = state.spans ? traceLayer(state.spans, layer, state.route, next) : next;
    return watchForUnreportedErrors(traced);
  } catch {
    return next;
  }
}

function basePattern(state: RequestState, routerNext: RouterNext | undefined): string {
  if (typeof routerNext !== 'function') return state.pending;
  const known = routerNext[BASE_PATTERN];
  if (typeof known === 'string') return known;
  routerNext[BASE_PATTERN] = state.pending;
  return state.pending;
}

function nameRoute(state: RequestState, req: ExpressRequest, res: ExpressResponse, route: string): void {
  if (state.route === route) return;
  state.route = route;
  nameRequestAfterRoute(res, req.method ?? 'GET', route);
  setUserFromRequest(req);
}

const checkedApps = new WeakSet<ExpressApp>();

/** The first layer that sees `req.app` (Express 4 sets it in its `expressInit` middleware). */
function onAppKnown(state: RequestState, app: ExpressApp, res: ExpressResponse): void {
  state.appSeen = true;
  if (!checkedApps.has(app)) {
    checkedApps.add(app);
    checkErrorHandlerPosition(app);
  }
  const options = optionsOf(app);
  if (!options) return;
  if (options.serverTiming) setServerTimingTraceHeader(res);
  // Only under a root whose children record: an unsampled request's layer spans would record
  // nothing, yet cost a span, two response listeners and a wrapped `next` per layer.
  if (!options.middlewareSpans || !hasSpansEnabled(getClient()?.getOptions())) return;
  const root = getServerSpan(res);
  if (root && recordsChildren(root)) state.spans = trackLayerSpans(res);
}

const appOptions = new WeakMap<ExpressApp, ExpressHandlerOptions | null>();

function optionsOf(app: ExpressApp): ExpressHandlerOptions | undefined {
  let options = appOptions.get(app);
  if (options === undefined) {
    const handler = routerStackOf(app)?.find(isOurErrorHandler)?.handle;
    options = handler
      ? ((handler as unknown as Record<symbol, ExpressHandlerOptions>)[HANDLER_OPTIONS] ?? null)
      : null;
    appOptions.set(app, options);
  }
  return options ?? undefined;
}
