/** How much the dev server keeps; the oldest data goes first when any limit is exceeded. */
export interface RetentionOptions {
  /** Stored events (errors, transactions and span batches together). */
  maxEvents: number;
  /** Oldest data kept, by time received, in milliseconds. */
  maxAgeMs: number;
  /** Live database pages (file size minus reusable free pages), in bytes. */
  maxDbBytes: number;
}

export const DEFAULT_RETENTION: RetentionOptions = {
  maxEvents: 10_000,
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  maxDbBytes: 256 * 1024 * 1024,
};
