/**
 * Optional spans for the layers a request goes through. A layer's span ends when it calls `next`
 * or, for the one that answers, when the response finishes. Spans are not made active: switching
 * the async context for every middleware costs more than the spans themselves.
 */
import type { Span } from '@faultline/node';
import { startInactiveSpan } from '@faultline/node';
import type { ExpressLayer, ExpressNext, ExpressResponse } from './express-internals';

export interface LayerSpans {
  open: Set<Span>;
}

export function trackLayerSpans(response: ExpressResponse): LayerSpans {
  const spans: LayerSpans = { open: new Set() };
  const endOpen = () => {
    for (const span of spans.open) span.end();
    spans.open.clear();
  };
  response.once('finish', endOpen);
  response.once('close', endOpen);
  return spans;
}

/** Returns the `next` to hand to the layer, ending its span. */
export function traceLayer(
  spans: LayerSpans,
  layer: ExpressLayer,
  route: string | undefined,
  next: ExpressNext,
): ExpressNext {
  if (layer.route || layer.handle.length > 3) return next;
  const type = 'method' in layer ? 'request_handler' : layer.handle.stack ? 'router' : 'middleware';
  const layerName = layer.name || '<anonymous>';
  const span = startInactiveSpan({
    name: type === 'request_handler' && route ? route : layerName,
    op: `${type}.express`,
    origin: 'auto.http.express',
    attributes: { 'express.name': layerName, 'express.type': type },
  });
  spans.open.add(span);
  return function nextAfterSpan(error?: unknown) {
    if (spans.open.delete(span)) span.end();
    next(error);
  };
}
