/** What the loopback test ingest records and how it can be scripted. */
import type { IncomingHttpHeaders } from 'node:http';
import type { EnvelopeHeaders, EnvelopeItemHeaders } from '../../packages/core/src/types/envelope';

export interface StartIngestOptions {
  /** Public key of the DSN; any other key is rejected with 403. */
  publicKey?: string;
  /** Project id of the DSN; any other project is rejected with 403. */
  projectId?: string;
  /** Deprecated DSN secret; only written into `dsn`, never checked (Relay ignores it too). */
  secretKey?: string;
  /**
   * Leaves the ingest's server to an SDK initialised in the same process, as an app that hosts its
   * own ingest would. By default the server opts out of the SDK's HTTP instrumentation.
   */
  instrumentable?: boolean;
}

export interface ReceivedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Path with the query string, as sent. */
  url: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The body as it arrived on the wire. */
  rawBody: Uint8Array;
  /** The body after undoing `Content-Encoding`; undefined when that failed. */
  body?: Uint8Array;
  /** Status the ingest answered; undefined while pending, or when the script hung or destroyed the socket. */
  status?: number;
  /** Why the ingest rejected the request (the `detail` it answered). */
  error?: string;
  receivedAt: number;
}

export interface ReceivedItem {
  type: string;
  headers: EnvelopeItemHeaders;
  payload: Uint8Array;
  /** The payload parsed as JSON, when it is JSON. */
  json?: unknown;
  /** Schema and protocol problems found in this item. They never change the HTTP response. */
  validationErrors: string[];
}

export interface ReceivedEnvelope {
  headers: EnvelopeHeaders;
  items: ReceivedItem[];
  request: ReceivedRequest;
  /** Whether the ingest answered (or will answer) 2xx. Helpers such as `events()` only see accepted ones. */
  accepted: boolean;
}

/**
 * How the ingest answers an authenticated, well-formed envelope. Requests it rejects on its own
 * (auth, malformed, wrong path) get their real error and do not consume scripted responses.
 */
export type ScriptedResponse =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { hang: true }
  | { destroy: true; delayMs?: number };

export type WaitCondition<T> = number | ((ingest: T) => boolean);

export interface WaitOptions {
  /** Milliseconds; default 5000. */
  timeout?: number;
}
