/** What a runtime provides to send bytes, and what the core transport exposes (PROTOCOL.md §1, §5). */
import type { DataCategory } from './data-category';
import type { ClientReport, DiscardReason, Envelope } from './envelope';

/** A serialised envelope: text, or bytes once it carries binary attachments or a runtime encodes it. */
export type EnvelopeBody = string | Uint8Array;

export interface TransportRequest<Body extends EnvelopeBody = EnvelopeBody> {
  /** Serialised envelope. */
  body: Body;
}

export interface TransportResponse {
  statusCode?: number;
  headers?: {
    'x-sentry-rate-limits'?: string | null;
    'retry-after'?: string | null;
  };
}

/** Sends one request; rejects on network errors. Runtime packages (node, browser) implement it. */
export type TransportRequestExecutor<Body extends EnvelopeBody = EnvelopeBody> = (
  request: TransportRequest<Body>,
) => PromiseLike<TransportResponse>;

export interface TransportOptions {
  /** Envelope endpoint URL with auth in the query string. */
  url: string;
  /** How many envelopes may wait or be in flight at once (default 64). */
  bufferSize?: number;
  /** Extra headers runtime transports add to each request. */
  headers?: Record<string, string>;
  /** Called for every item the transport drops, so the client can report it. */
  recordDroppedEvent?: (reason: DiscardReason, category: DataCategory, quantity?: number) => void;
  /** Called with a client report that could not leave (queue full, network down), to be sent later. */
  restoreClientReport?: (report: ClientReport) => void;
  [key: string]: unknown;
}

export interface Transport {
  send(envelope: Envelope): PromiseLike<TransportResponse | undefined>;
  /**
   * True while the ingest's rate limits cover `category`, so that `send` would drop an item of it:
   * the client then skips building and serialising it. Optional for custom transports.
   */
  isRateLimited?(category: DataCategory): boolean;
  /** Resolves true when everything queued was sent within `timeout` ms, false otherwise. Never rejects. */
  flush(timeout?: number): PromiseLike<boolean>;
}
