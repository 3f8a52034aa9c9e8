/**
 * The ingest endpoints: `POST /api/:project/envelope/` (what every Sentry SDK sends), the legacy
 * `POST /api/:project/store/`, and Spotlight's `POST /stream`. Bad input gets Sentry's status and a reason;
 * nothing is stored unless the whole request is valid.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EnvelopeParseError, parseEnvelope } from '@faultline/core';
import { type IngestedEnvelope, ingestEnvelope, ingestStoreEvent } from './envelope-ingest';
import { sendError, sendJson } from './http-responses';
import { authenticate } from './ingest-auth';
import { IngestError } from './ingest-error';
import type { IngestLimits } from './limits';
import type { LiveStream } from './live-stream';
import { readBody } from './request-body';
import type { DevStore } from './storage/dev-store';

export type IngestRoute = { kind: 'envelope' | 'store'; project: string } | { kind: 'spotlight' };

export interface IngestContext {
  store: DevStore;
  live: LiveStream;
  limits: IngestLimits;
  allowedKeys?: ReadonlySet<string>;
  itemsReceived: Map<string, number>;
  log: (line: string) => void;
}

export async function handleIngest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  route: IngestRoute,
  context: IngestContext,
): Promise<void> {
  try {
    const body = await readBody(req, context.limits.maxEnvelopeBytes);
    const ingested = parseAndAuthenticate(req, url, route, body, context);
    for (const type of ingested.itemTypes) {
      context.itemsReceived.set(type, (context.itemsReceived.get(type) ?? 0) + 1);
    }
    const changes = context.store.writer.insert(ingested.records);
    publishChanges(changes, context);
    sendJson(res, 200, ingested.id ? { id: ingested.id } : {});
  } catch (error) {
    if (error instanceof IngestError) {
      context.log(`rejected ${req.method} ${url.pathname}: ${error.status} ${error.message}`);
      sendError(res, error.status, error.message);
    } else {
      context.log(`failed to ingest ${url.pathname}: ${(error as Error).stack ?? String(error)}`);
      sendError(res, 500, `internal error: ${(error as Error).message}`);
    }
  }
}

function parseAndAuthenticate(
  req: IncomingMessage,
  url: URL,
  route: IngestRoute,
  body: Uint8Array,
  context: IngestContext,
): IngestedEnvelope {
  const received = Date.now() / 1000;
  const remoteAddress = req.socket.remoteAddress;
  if (route.kind === 'store') {
    authenticate(
      { headers: req.headers, query: url.searchParams, project: route.project },
      context.allowedKeys,
    );
    return ingestStoreEvent(body, { project: route.project, received, remoteAddress }, context.limits);
  }
  let envelope: ReturnType<typeof parseEnvelope>;
  try {
    envelope = parseEnvelope(body);
  } catch (error) {
    if (error instanceof EnvelopeParseError) throw new IngestError(400, `invalid envelope: ${error.message}`);
    throw error;
  }
  const envelopeDsn = typeof envelope.headers.dsn === 'string' ? envelope.headers.dsn : undefined;
  let project: string;
  if (route.kind === 'envelope') {
    authenticate(
      { headers: req.headers, query: url.searchParams, envelopeDsn, project: route.project },
      context.allowedKeys,
    );
    project = route.project;
  } else {
    // Spotlight clients send no auth; the envelope's DSN still tells which project it was meant for.
    project = envelopeDsn
      ? (new URL(envelopeDsn).pathname.split('/').filter(Boolean).pop() ?? 'spotlight')
      : 'spotlight';
  }
  return ingestEnvelope(envelope, { project, received, remoteAddress }, context.limits);
}

function publishChanges(changes: ReturnType<DevStore['writer']['insert']>, context: IngestContext): void {
  const { store, live } = context;
  if (live.size === 0) return;
  for (const event of changes.events) {
    live.publish({
      type: 'event',
      data: {
        eventId: event.eventId,
        kind: event.kind,
        issueId: event.issueId ?? null,
        traceId: event.traceId ?? null,
      },
    });
  }
  for (const { id, isNew } of changes.issues) {
    const issue = store.issues.summary(id);
    if (issue) live.publish({ type: 'issue', data: { ...issue, isNew } });
  }
  for (const traceId of changes.traces) {
    const trace = store.traces.summary(traceId);
    if (trace) live.publish({ type: 'trace', data: trace });
  }
}
