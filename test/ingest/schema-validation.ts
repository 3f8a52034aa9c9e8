/**
 * Payload validation the way PROTOCOL.md's header prescribes: Relay's generated JSON schema through ajv 8,
 * plus the checks the schema cannot express (trace context, transaction-only keys, span ids, timestamps).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

const SCHEMA_URL = new URL('../../../shared/schemas/relay-event.schema.json', import.meta.url);
const SCHEMA_ID = 'relay-event';
const UUID_PATTERN = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
/** Keys Relay knows on transactions but the event schema does not (it is `additionalProperties: false`). */
const TRANSACTION_ONLY_KEYS = ['start_timestamp', 'spans', 'measurements'];

const definition = (name: string) => ({ $ref: `${SCHEMA_ID}#/definitions/${name}` });
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });

const SPAN_SCHEMA = {
  type: 'object',
  required: ['span_id', 'trace_id', 'start_timestamp', 'timestamp'],
  properties: {
    span_id: definition('SpanId'),
    trace_id: definition('TraceId'),
    parent_span_id: nullable(definition('SpanId')),
    op: { type: ['string', 'null'] },
    description: { type: ['string', 'null'] },
    status: nullable(definition('SpanStatus')),
    origin: { type: ['string', 'null'] },
    start_timestamp: definition('Timestamp'),
    timestamp: definition('Timestamp'),
    tags: { type: ['object', 'null'], additionalProperties: { type: ['string', 'null'] } },
    data: nullable(definition('SpanData')),
  },
};

const MEASUREMENTS_SCHEMA = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['value'],
    properties: { value: { type: 'number' }, unit: { type: 'string' } },
  },
};

interface Validators {
  event: ValidateFunction;
  traceContext: ValidateFunction;
  span: ValidateFunction;
  measurements: ValidateFunction;
}

let validators: Validators | undefined;

/** Compiles the validators once; throws a clear error when the schema file is missing. */
export function loadValidators(): Validators {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uuid', UUID_PATTERN);
  for (const name of ['double', 'int64', 'uint64']) {
    ajv.addFormat(name, { type: 'number', validate: (value: number) => Number.isFinite(value) });
  }
  ajv.addSchema(readEventSchema(), SCHEMA_ID);
  validators = {
    event: ajv.getSchema(SCHEMA_ID)!,
    traceContext: ajv.compile(definition('TraceContext')),
    span: ajv.compile(SPAN_SCHEMA),
    measurements: ajv.compile(MEASUREMENTS_SCHEMA),
  };
  return validators;
}

function readEventSchema(): object {
  const path = fileURLToPath(SCHEMA_URL);
  try {
    return openSpanData(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new Error(
      `Cannot load the ingest's event schema from ${path} (expected /work/shared/schemas/relay-event.schema.json ` +
        `beside PROTOCOL.md): ${(error as Error).message}`,
    );
  }
}

/**
 * Span data is "arbitrary additional data" by its own description, and Relay keeps unknown keys in
 * `other`; only the generated schema closes it with `additionalProperties: false`. The known keys stay
 * typed.
 */
function openSpanData(schema: {
  definitions?: Record<string, { anyOf?: Array<Record<string, unknown>> }>;
}): object {
  for (const variant of schema.definitions?.SpanData?.anyOf ?? []) {
    if (variant.type === 'object') variant.additionalProperties = true;
  }
  return schema;
}

/** Problems with an error/default event; an empty array means it is valid. */
export function validateEvent(event: unknown): string[] {
  if (!isObject(event)) return ['event: payload is not a JSON object'];
  return [...schemaProblems(loadValidators().event, event, 'event'), ...commonEventProblems(event)];
}

/**
 * Problems with a transaction event: the event schema with the transaction-only keys set aside, then
 * Relay's `validate_transaction` rules (PROTOCOL.md §6.2) on timestamps, trace context and spans.
 */
export function validateTransaction(event: unknown): string[] {
  if (!isObject(event)) return ['transaction: payload is not a JSON object'];
  const withoutTransactionKeys = Object.fromEntries(
    Object.entries(event).filter(([key]) => !TRANSACTION_ONLY_KEYS.includes(key)),
  );
  const problems = [
    ...schemaProblems(loadValidators().event, withoutTransactionKeys, 'transaction'),
    ...commonEventProblems(event),
  ];
  if (event.type !== 'transaction')
    problems.push(`transaction: type is ${JSON.stringify(event.type)}, not "transaction"`);
  if (typeof event.transaction !== 'string' || !event.transaction)
    problems.push('transaction: name is missing');
  problems.push(...timeRangeProblems(event, 'transaction'));
  if (event.measurements !== undefined) {
    problems.push(
      ...schemaProblems(loadValidators().measurements, event.measurements, 'transaction.measurements'),
    );
  }
  if (event.spans !== undefined) problems.push(...spansProblems(event.spans, traceIdOf(event)));
  return problems;
}

function commonEventProblems(event: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const eventId = idProblem(event.event_id, 32, 'event_id');
  if (eventId) problems.push(`event: ${eventId}`);
  if (event.timestamp == null) problems.push('event: timestamp is missing');
  else if (Number.isNaN(timestampSeconds(event.timestamp)))
    problems.push('event: timestamp is not a valid timestamp');
  if (typeof event.platform !== 'string' || !event.platform) problems.push('event: platform is missing');
  problems.push(...traceContextProblems(event));
  return problems;
}

function traceContextProblems(event: Record<string, unknown>): string[] {
  const trace = isObject(event.contexts) ? event.contexts.trace : undefined;
  if (!isObject(trace)) return ['contexts.trace: missing (every event must carry one)'];
  const problems = schemaProblems(loadValidators().traceContext, trace, 'contexts.trace');
  for (const [key, length] of [
    ['trace_id', 32],
    ['span_id', 16],
  ] as const) {
    const problem = idProblem(trace[key], length, key);
    if (problem) problems.push(`contexts.trace: ${problem}`);
  }
  if (trace.parent_span_id != null) {
    const problem = idProblem(trace.parent_span_id, 16, 'parent_span_id');
    if (problem) problems.push(`contexts.trace: ${problem}`);
  }
  return problems;
}

function spansProblems(spans: unknown, traceId: unknown): string[] {
  if (!Array.isArray(spans)) return ['transaction.spans: not an array'];
  return spans.flatMap((span, index) => {
    const where = `transaction.spans[${index}]`;
    if (!isObject(span)) return [`${where}: not an object`];
    const problems = schemaProblems(loadValidators().span, span, where);
    for (const [key, length] of [
      ['trace_id', 32],
      ['span_id', 16],
    ] as const) {
      const problem = idProblem(span[key], length, key);
      if (problem) problems.push(`${where}: ${problem}`);
    }
    if (span.parent_span_id != null) {
      const problem = idProblem(span.parent_span_id, 16, 'parent_span_id');
      if (problem) problems.push(`${where}: ${problem}`);
    }
    if (typeof traceId === 'string' && span.trace_id !== traceId) {
      problems.push(
        `${where}: trace_id ${JSON.stringify(span.trace_id)} differs from contexts.trace.trace_id`,
      );
    }
    problems.push(...timeRangeProblems(span, where));
    return problems;
  });
}

function timeRangeProblems(target: Record<string, unknown>, where: string): string[] {
  const start = timestampSeconds(target.start_timestamp);
  const end = timestampSeconds(target.timestamp);
  if (target.start_timestamp == null) return [`${where}: start_timestamp is missing`];
  if (Number.isNaN(start)) return [`${where}: start_timestamp is not a valid timestamp`];
  if (target.timestamp == null || Number.isNaN(end)) return [`${where}: timestamp is missing or invalid`];
  return end < start ? [`${where}: end timestamp ${end} is smaller than start timestamp ${start}`] : [];
}

function idProblem(value: unknown, hexLength: number, name: string): string | undefined {
  if (value == null) return `${name} is missing`;
  if (typeof value !== 'string' || !new RegExp(`^[0-9a-f]{${hexLength}}$`).test(value)) {
    return `${name} ${JSON.stringify(value)} is not ${hexLength} lowercase hex characters`;
  }
  return /^0+$/.test(value) ? `${name} is all zeros` : undefined;
}

/** Seconds since the epoch for a protocol timestamp (number or RFC 3339, UTC when no offset); NaN if invalid. */
function timestampSeconds(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value !== 'string') return Number.NaN;
  const hasZone = /(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(value);
  return Date.parse(hasZone ? value : `${value}Z`) / 1000;
}

function traceIdOf(event: Record<string, unknown>): unknown {
  return isObject(event.contexts) && isObject(event.contexts.trace)
    ? event.contexts.trace.trace_id
    : undefined;
}

function schemaProblems(validate: ValidateFunction, value: unknown, where: string): string[] {
  if (validate(value)) return [];
  return [
    ...new Set((validate.errors ?? []).map((error) => `${where}${error.instancePath}: ${describe(error)}`)),
  ];
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `unknown key "${String(params.additionalProperty)}"`;
  if (error.keyword === 'enum') return `${error.message} ${JSON.stringify(params.allowedValues)}`;
  return error.message ?? error.keyword;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
