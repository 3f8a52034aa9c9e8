/** Read-only views over what the test ingest recorded. */
import type { ClientReport, DiscardedEvent } from '../../packages/core/src/types/envelope';
import type { ReceivedEnvelope, ReceivedRequest } from './ingest-types';

/** `discarded_events` of all reports, summed per reason and category, in first-seen order. */
export function sumDiscardedEvents(reports: ClientReport[]): DiscardedEvent[] {
  const sums = new Map<string, DiscardedEvent>();
  for (const report of reports) {
    for (const { reason, category, quantity } of report?.discarded_events ?? []) {
      const key = `${reason}\u0000${category}`;
      const entry = sums.get(key) ?? { reason, category, quantity: 0 };
      entry.quantity += quantity;
      sums.set(key, entry);
    }
  }
  return [...sums.values()];
}

/** Every item's validation problems, labelled with the envelope and item they belong to. */
export function labelledSchemaErrors(envelopes: ReceivedEnvelope[]): string[] {
  return envelopes.flatMap((envelope, envelopeIndex) =>
    envelope.items.flatMap((item, itemIndex) =>
      item.validationErrors.map(
        (error) => `envelope ${envelopeIndex} item ${itemIndex} (${item.type}): ${error}`,
      ),
    ),
  );
}

/** A short account of the last requests, for timeout messages. */
export function describeTraffic(requests: ReceivedRequest[], envelopes: ReceivedEnvelope[]): string {
  const lines = requests.slice(-20).map((request) => {
    const envelope = envelopes.find((candidate) => candidate.request === request);
    const types = envelope ? ` [${envelope.items.map((item) => item.type).join(', ')}]` : '';
    const error = request.error ? ` (${request.error})` : '';
    return `  ${request.method} ${request.url} -> ${request.status ?? 'no answer'}${types}${error}`;
  });
  const heading = `Received ${requests.length} request(s), ${envelopes.length} envelope(s)`;
  return lines.length ? `${heading}:\n${lines.join('\n')}` : `${heading}.`;
}
