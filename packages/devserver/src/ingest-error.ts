/** A request the ingest refuses, with the HTTP status and the `detail` Sentry would answer with. */
export class IngestError extends Error {
  override readonly name = 'IngestError';

  constructor(
    readonly status: 400 | 403 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}
