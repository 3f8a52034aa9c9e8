/**
 * The runtime-independent transport: rate limits, one bounded queue, client-report bookkeeping
 * (PROTOCOL.md §1.3, §3.7, §5, §8). Runtimes supply only the function that sends the bytes.
 */
import { dataCategoryForItemType } from './data-category';
import { debug } from './debug-logger';
import { createEnvelope, serializeEnvelope } from './envelope';
import { BUFFER_FULL, makePromiseBuffer } from './promise-buffer';
import { isRateLimited, type RateLimits, updateRateLimits } from './rate-limits';
import type { DataCategory } from './types/data-category';
import type { ClientReport, DiscardReason, Envelope, EnvelopeItem } from './types/envelope';
import type {
  EnvelopeBody,
  Transport,
  TransportOptions,
  TransportRequestExecutor,
  TransportResponse,
} from './types/transport';
import { jsonByteLength, utf8ByteLength } from './utf8-byte-length';

const DEFAULT_BUFFER_SIZE = 64;
const TOO_MANY_REQUESTS = 429;

/**
 * `serialize`: a runtime's own `serializeEnvelope`, whose result reaches `makeRequest` as the body
 * (so a runtime that always encodes to bytes receives bytes).
 */
export function createTransport<Body extends EnvelopeBody = EnvelopeBody>(
  options: TransportOptions,
  makeRequest: TransportRequestExecutor<Body>,
  serialize: (envelope: Envelope) => Body = serializeEnvelope as (envelope: Envelope) => Body,
): Transport {
  const buffer = makePromiseBuffer(options.bufferSize ?? DEFAULT_BUFFER_SIZE);
  let rateLimits: RateLimits = {};

  function recordLoss(reason: DiscardReason, items: EnvelopeItem[]): void {
    for (const item of items) {
      // A report that never left can go out with a later envelope; one the ingest refused cannot.
      if (
        item.headers.type === 'client_report' &&
        (reason === 'queue_overflow' || reason === 'network_error')
      ) {
        options.restoreClientReport?.(item.payload as ClientReport);
      }
      for (const [category, quantity] of itemOutcomes(item)) {
        try {
          options.recordDroppedEvent?.(reason, category, quantity);
        } catch (error) {
          debug.errorOnce('Recording a dropped event failed', error);
        }
      }
    }
  }

  function handleResponse(items: EnvelopeItem[], response: TransportResponse | undefined): TransportResponse {
    const received = response ?? {};
    rateLimits = updateRateLimits(rateLimits, received, Date.now());
    const { statusCode } = received;
    // 429 is a rate limit, already reflected above; the protocol forbids reporting it as a drop.
    if (
      statusCode !== undefined &&
      (statusCode < 200 || statusCode >= 300) &&
      statusCode !== TOO_MANY_REQUESTS
    ) {
      debug.warn(`Ingest answered ${statusCode}; envelope dropped`);
      recordLoss('send_error', items);
    }
    return received;
  }

  function send(envelope: Envelope): PromiseLike<TransportResponse | undefined> {
    const now = Date.now();
    const items: EnvelopeItem[] = [];
    const limited: EnvelopeItem[] = [];
    for (const item of envelope.items) {
      const limitedNow = isRateLimited(rateLimits, dataCategoryForItemType(item.headers.type), now);
      (limitedNow ? limited : items).push(item);
    }
    recordLoss('ratelimit_backoff', limited);
    if (items.length === 0) return Promise.resolve(undefined);

    let body: Body;
    try {
      body = serialize(createEnvelope(envelope.headers, items));
    } catch (error) {
      debug.errorOnce('Serialising an envelope failed', error);
      recordLoss('internal_sdk_error', items);
      return Promise.resolve(undefined);
    }

    // The buffer turns a synchronous throw of the executor into a rejection, so one handler counts
    // every failure. Resolving a new promise with the request instead cost two promises and a
    // microtask more per envelope.
    return buffer
      .add(() => makeRequest({ body }))
      .then(
        (response) => handleResponse(items, response),
        (reason: unknown) => {
          if (reason === BUFFER_FULL) recordLoss('queue_overflow', items);
          else {
            debug.error('Sending an envelope failed', reason);
            recordLoss('network_error', items);
          }
          return undefined;
        },
      );
  }

  return {
    send,
    flush: (timeout) => buffer.drain(timeout),
    isRateLimited: (category) => isRateLimited(rateLimits, category, Date.now()),
  };
}

/** What one lost item counts as in client reports; client reports themselves are never counted. */
function itemOutcomes(item: EnvelopeItem): Array<[DataCategory, number]> {
  const category = dataCategoryForItemType(item.headers.type);
  if (category === 'internal') return [];
  const itemCount = item.headers.item_count;
  // Attachments are counted in bytes (PROTOCOL.md §5).
  const quantity =
    category === 'attachment'
      ? byteLength(item.payload)
      : typeof itemCount === 'number' && itemCount > 0
        ? itemCount
        : 1;
  const outcomes: Array<[DataCategory, number]> = [[category, quantity]];
  // A transaction carries its root span plus its children (PROTOCOL.md §3.7).
  if (category === 'transaction') outcomes.push(['span', spanCount(item.payload) + 1]);
  return outcomes;
}

function spanCount(payload: unknown): number {
  const spans = (payload as { spans?: unknown } | null | undefined)?.spans;
  return Array.isArray(spans) ? spans.length : 0;
}

function byteLength(payload: unknown): number {
  if (payload instanceof Uint8Array) return payload.length;
  return typeof payload === 'string' ? utf8ByteLength(payload) : jsonByteLength(payload);
}
