/**
 * Ingest limits. Relay allows 200 MiB envelopes (PROTOCOL.md §2.5); a dev server on a laptop takes far less
 * so that one runaway client cannot exhaust memory. Event-like items keep Relay's 1 MiB.
 */
export interface IngestLimits {
  /** Largest request body, before and after decompression. */
  maxEnvelopeBytes: number;
  /** Largest `event`, `transaction` or `span` item payload. */
  maxEventBytes: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxEnvelopeBytes: 20 * 1024 * 1024,
  maxEventBytes: 1024 * 1024,
};
