/** From a parsed envelope (or a legacy store-endpoint event) to storage records, enforcing item limits. */
import { itemPayloadJson, type parseEnvelope } from '@faultline/core';
import type { EventRecord } from './event-record';
import { errorEventRecord, type RecordContext, spanBatchRecord, transactionRecord } from './event-records';
import { IngestError } from './ingest-error';
import type { IngestLimits } from './limits';
import { asObject, type JsonObject, normalizeId } from './payload-values';

type ParsedEnvelope = ReturnType<typeof parseEnvelope>;

export interface IngestedEnvelope {
  records: EventRecord[];
  /** The id Sentry answers with: the envelope's event id, else the event's or transaction's. */
  id?: string;
  /** Item types received, including the ones the dev server does not store (sessions, client reports…). */
  itemTypes: string[];
}

const LIMITED_ITEM_TYPES = new Set(['event', 'transaction', 'span', 'log', 'otel_span']);

export function ingestEnvelope(
  envelope: ParsedEnvelope,
  context: Omit<RecordContext, 'envelopeEventId'>,
  limits: IngestLimits,
): IngestedEnvelope {
  const headerEventId = typeof envelope.headers.event_id === 'string' ? envelope.headers.event_id : undefined;
  const records: EventRecord[] = [];
  for (const item of envelope.items) {
    const type = item.headers.type;
    if (LIMITED_ITEM_TYPES.has(type) && item.payload.length > limits.maxEventBytes) {
      throw new IngestError(
        413,
        `${type} item is ${item.payload.length} bytes, over the ${limits.maxEventBytes}-byte limit`,
      );
    }
    const record = itemRecord(type, () => jsonObjectPayload(type, item), {
      ...context,
      envelopeEventId: headerEventId,
    });
    if (record) records.push(record);
  }
  const eventRecord = records.find((record) => record.kind !== 'spans');
  return {
    records,
    id: normalizeId(headerEventId) ?? eventRecord?.eventId,
    itemTypes: envelope.items.map((item) => item.headers.type),
  };
}

/** The legacy `/api/:project/store/` body: one event JSON (still sent by older SDKs such as Python 1.x). */
export function ingestStoreEvent(
  body: Uint8Array,
  context: Omit<RecordContext, 'envelopeEventId'>,
  limits: IngestLimits,
): IngestedEnvelope {
  if (body.length > limits.maxEventBytes) {
    throw new IngestError(413, `event is ${body.length} bytes, over the ${limits.maxEventBytes}-byte limit`);
  }
  const event = jsonObjectPayload('event', { payload: body, headers: { type: 'event' } });
  const record =
    event.type === 'transaction' ? transactionRecord(event, context) : errorEventRecord(event, context);
  return {
    records: [record],
    id: record.eventId,
    itemTypes: [record.kind === 'transaction' ? 'transaction' : 'event'],
  };
}

function itemRecord(
  type: string,
  payload: () => JsonObject,
  context: RecordContext,
): EventRecord | undefined {
  switch (type) {
    case 'event':
      return errorEventRecord(payload(), context);
    case 'transaction':
      return transactionRecord(payload(), context);
    case 'span':
      return spanBatchRecord(payload(), context);
    default:
      return undefined;
  }
}

function jsonObjectPayload(type: string, item: Parameters<typeof itemPayloadJson>[0]): JsonObject {
  let value: unknown;
  try {
    value = itemPayloadJson(item);
  } catch (error) {
    throw new IngestError(400, `invalid ${type} payload: ${(error as Error).message}`);
  }
  const object = asObject(value);
  if (!object) throw new IngestError(400, `invalid ${type} payload: expected a JSON object`);
  return object;
}
