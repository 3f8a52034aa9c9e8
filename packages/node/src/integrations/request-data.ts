/**
 * Puts the request being handled on every event captured while handling it. HTTP instrumentation keeps
 * the request as it arrived on the isolation scope (`INCOMING_REQUEST_METADATA_KEY`, an
 * `ArrivedRequest`; other instrumentation may keep a raw request there); its data is extracted, with
 * the PII rules, only when an event is actually captured, never on the request path. Instrumentation that
 * already has extracted data may store it under `REQUEST_DATA_METADATA_KEY` instead.
 * `sdkProcessingMetadata` is merged into events but never sent.
 */
import type { Integration, RequestData } from '@faultline/core';
import {
  extractRequestData,
  INCOMING_REQUEST_METADATA_KEY,
  type IncomingRequestLike,
  REQUEST_DATA_METADATA_KEY,
} from '../request-data';

/**
 * The extraction, kept on the request record itself: a WeakMap entry per traced request cost ~0.8 µs
 * of scavenger work (request-slots.ts says why).
 */
const EXTRACTED = Symbol.for('faultline.node.extractedRequestData');

function requestFromMetadata(metadata: unknown, sendDefaultPii: boolean): RequestData | undefined {
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const record = metadata as Record<string, unknown>;
  const extracted = record[REQUEST_DATA_METADATA_KEY];
  if (typeof extracted === 'object' && extracted !== null) return extracted as RequestData;
  const incoming = record[INCOMING_REQUEST_METADATA_KEY];
  if (typeof incoming !== 'object' || incoming === null) return undefined;
  // A request's transaction and its errors share one extraction. With PII on, a body read later
  // must still show up, so only the PII-free form is reused.
  if (sendDefaultPii) return extractRequestData(incoming as IncomingRequestLike, { sendDefaultPii });
  const cache = incoming as { [EXTRACTED]?: RequestData };
  cache[EXTRACTED] ??= extractRequestData(incoming as IncomingRequestLike, { sendDefaultPii });
  // Shared, not copied: processEvent copies it into the event.
  return cache[EXTRACTED];
}

/** Fields the app set on `event.request` itself win over the instrumented ones. */
export function requestDataIntegration(): Integration {
  return {
    name: 'RequestData',
    processEvent(event, _hint, client) {
      const request = requestFromMetadata(
        event.sdkProcessingMetadata,
        client.getOptions().sendDefaultPii === true,
      );
      // Object.assign rather than two spreads: V8's path for the latter costs ~1 µs on Node 20.
      if (request) event.request = Object.assign({}, request, event.request);
      return event;
    },
  };
}
