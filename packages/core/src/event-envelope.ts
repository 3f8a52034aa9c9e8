/** The envelope one event or transaction travels in, with its attachments (PROTOCOL.md §2.2, §9). */
import type { Client } from './client';
import { baseDynamicSamplingContext, dscFromPropagationContext } from './dynamic-sampling-context';
import type { Scope } from './scope';
import type { SpanBase } from './span';
import type { DynamicSamplingContext, Envelope, EnvelopeItem } from './types/envelope';
import type { Attachment, Event, EventHint, SdkInfo } from './types/event';

export function createEventEnvelope(
  event: Event,
  hint: EventHint,
  /** The DSN as text for the envelope header (the client keeps it so, not re-serialised per event). */
  dsn: string | undefined,
  sdk: SdkInfo,
  client: Client,
  scope: Scope,
): Envelope {
  // A copy whose left-out keys are undefined (JSON leaves them out): rest destructuring or `delete`
  // would give V8 a dictionary-mode object, which JSON.stringify serialises about 2× slower.
  const payload: Event = Object.assign({}, event);
  payload.sdkProcessingMetadata = undefined;
  toWireShape(payload);
  const metadata = event.sdkProcessingMetadata as
    | { dynamicSamplingContext?: DynamicSamplingContext }
    | undefined;
  const trace = envelopeTraceHeader(event, metadata?.dynamicSamplingContext, client, scope);
  const items: EnvelopeItem[] = [
    { headers: { type: event.type === 'transaction' ? 'transaction' : 'event' }, payload },
  ];
  for (const attachment of hint.attachments ?? []) items.push(attachmentItem(attachment));
  // No spread of an optional `dsn`: Node 20 builds a literal with keys after a spread on a slow path.
  // An unset DSN stays undefined, which serialisation leaves out.
  return {
    headers: {
      event_id: event.event_id,
      sent_at: new Date().toISOString(),
      sdk: { name: sdk.name, version: sdk.version },
      dsn: dsn || undefined,
      trace,
    },
    items,
  };
}

/**
 * In the SDK, events keep the shapes Sentry users know (`message` string, breadcrumbs array); on the
 * wire they take the ingest schema's: `logentry` and `breadcrumbs.values`.
 */
function toWireShape(payload: Event): void {
  if (typeof payload.message === 'string') {
    if (!payload.logentry) payload.logentry = { message: payload.message };
    payload.message = undefined;
  }
  if (Array.isArray(payload.breadcrumbs)) {
    (payload as { breadcrumbs?: unknown }).breadcrumbs = { values: payload.breadcrumbs };
  }
}

/**
 * The envelope `trace` header: the transaction's DSC, else that of the active span's trace, else the
 * scope's. A frozen DSC is propagated as received, but the envelope always gets the ids the ingest
 * needs (trace_id, public_key).
 */
function envelopeTraceHeader(
  event: Event,
  transactionDsc: DynamicSamplingContext | undefined,
  client: Client,
  scope: Scope,
): DynamicSamplingContext {
  const span = scope.getScopeData().span as Partial<SpanBase> | undefined;
  const dsc =
    transactionDsc ??
    span?.envelopeDynamicSamplingContext?.() ??
    dscFromPropagationContext(client, scope.getPropagationContext());
  if (dsc.trace_id && dsc.public_key) return dsc;
  const traceId = event.contexts?.trace?.trace_id ?? scope.getPropagationContext().traceId;
  if (!Object.keys(dsc).length) return baseDynamicSamplingContext(client, traceId);
  // An incomplete frozen DSC (a caller that sent some sentry- entries) keeps its values; the envelope
  // still needs the two ids the ingest requires.
  return {
    ...dsc,
    trace_id: dsc.trace_id || traceId,
    public_key: dsc.public_key || (client.getDsn()?.publicKey ?? ''),
  };
}

/** Unset optional headers stay undefined, which serialisation leaves out. */
export function attachmentItem(attachment: Attachment): EnvelopeItem {
  return {
    headers: {
      type: 'attachment',
      filename: attachment.filename,
      content_type: attachment.contentType || undefined,
      attachment_type: attachment.attachmentType || undefined,
    },
    payload: attachment.data,
  };
}
