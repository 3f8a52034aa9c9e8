/**
 * Turns one HTTP request into a recorded envelope the way Relay's envelope endpoint does: route, method,
 * `Content-Encoding`, auth, strict parsing; then the per-item checks. Failures become `HttpRejection`s.
 */
import { randomUUID } from 'node:crypto';
import { EnvelopeParseError, parseEnvelope } from '../../packages/core/src/envelope-parser';
import type { EnvelopeHeaders } from '../../packages/core/src/types/envelope';
import { BodyDecodingError, decodeBody } from './body-decoding';
import type { ReceivedItem, ReceivedRequest } from './ingest-types';
import { checkItem, payloadJson } from './item-checks';
import { AuthError, authenticate, type IngestIdentity, requestPublicKey } from './request-auth';

const ENVELOPE_PATH = /^\/api\/([^/]+)\/envelope\/$/;
/** Item types for which Relay makes sure the envelope has an event id (`Item::requires_event`). */
const EVENT_ITEM_TYPES = new Set([
  'event',
  'transaction',
  'security',
  'raw_security',
  'attachment',
  'form_data',
  'unreal_report',
  'user_report',
  'feedback',
  'replay_event',
  'profile',
]);

export class HttpRejection extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface EnvelopeRequest {
  headers: EnvelopeHeaders;
  items: ReceivedItem[];
  /** The `id` a 200 answer carries, if any. */
  responseId?: string;
}

/** Reads the envelope of a request (setting `request.body`), or throws `HttpRejection`. */
export function readEnvelopeRequest(request: ReceivedRequest, identity: IngestIdentity): EnvelopeRequest {
  const projectId = ENVELOPE_PATH.exec(request.path)?.[1];
  if (projectId === undefined) throw new HttpRejection(404, `no route for ${request.path}`);
  if (request.method !== 'POST') throw new HttpRejection(405, `method ${request.method} not allowed`);
  try {
    request.body = new Uint8Array(
      decodeBody(Buffer.from(request.rawBody), request.headers['content-encoding']),
    );
    const requestKey = requestPublicKey(request.headers, new URLSearchParams(request.query));
    const envelope = parseEnvelope(request.body);
    authenticate(requestKey, envelope.headers.dsn, projectId, identity);
    const items = envelope.items.map((item): ReceivedItem => {
      const json = payloadJson(item.payload);
      const { type } = item.headers;
      const validationErrors = checkItem(type, json, envelope.headers);
      return { type, headers: item.headers, payload: item.payload, json, validationErrors };
    });
    return { headers: envelope.headers, items, responseId: responseId(envelope.headers.event_id, items) };
  } catch (error) {
    if (error instanceof EnvelopeParseError)
      throw new HttpRejection(400, `invalid event envelope: ${error.message}`);
    if (error instanceof AuthError || error instanceof BodyDecodingError) {
      throw new HttpRejection(error.status, error.message);
    }
    throw error;
  }
}

/** Relay answers the envelope's event id (simple form), inventing one when an item needs an event. */
function responseId(eventId: unknown, items: ReceivedItem[]): string | undefined {
  if (typeof eventId === 'string') return eventId.replaceAll('-', '').toLowerCase();
  return items.some((item) => EVENT_ITEM_TYPES.has(item.type)) ? randomUUID().replaceAll('-', '') : undefined;
}
