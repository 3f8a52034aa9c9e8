/**
 * One keep-alive HTTP/1.1 connection to the ingest, one request at a time. A request is written in
 * one piece (head and body), and of the response only the status and the headers the transport acts
 * on are read. While a request is in flight the socket keeps the process alive for at most `timeout`
 * ms of inactivity; an idle socket is unreferenced and closed after `keepAliveTimeout` ms.
 */
import type { Socket } from 'node:net';
import { HttpResponseReader, type IngestResponse } from './http-response-reader';

export interface ConnectionTimeouts {
  /** Inactivity allowed while connecting or waiting for a response. */
  timeout: number;
  /** How long an idle connection stays open for reuse. */
  keepAliveTimeout: number;
}

export interface ConnectionEvents {
  /** The response arrived and the connection can take the next request. */
  onIdle(connection: IngestConnection): void;
  /** The connection is gone (error, timeout, closed by either side). */
  onClosed(connection: IngestConnection): void;
}

export type RequestCallback = (error: RequestError | undefined, response?: IngestResponse) => void;

/** A failed request; `retryable` when a reused connection died before answering at all. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export class IngestConnection {
  private readonly reader = new HttpResponseReader();
  private callback: RequestCallback | undefined;
  private requestsSent = 0;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly timeouts: ConnectionTimeouts,
    private readonly events: ConnectionEvents,
  ) {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 1000);
    socket.setTimeout(timeouts.timeout);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('timeout', () => this.fail('The ingest did not answer in time.'));
    socket.on('error', (error) => this.fail(`The connection to the ingest failed: ${error.message}`, true));
    socket.on('close', () => this.fail('The ingest closed the connection.', true));
  }

  /** Writes one request: `head` ends just before the body, `Content-Length` included. */
  request(head: string, body: string | Uint8Array, callback: RequestCallback): void {
    if (this.closed) {
      callback(new RequestError('The connection to the ingest is closed.', true));
      return;
    }
    this.callback = callback;
    this.reader.reset();
    this.requestsSent += 1;
    this.socket.ref();
    this.setInactivityTimeout(this.timeouts.timeout);
    // One gathered write of both: `head + body` made V8 copy the whole envelope into a new string
    // (~2.2 KB per transaction envelope) before the socket copied it again.
    this.socket.cork();
    this.socket.write(head, 'latin1');
    this.socket.write(body);
    this.socket.uncork();
  }

  /** Aborts a request in flight with `reason` and closes the connection. */
  destroy(reason: string): void {
    this.fail(reason);
  }

  private onData(chunk: Buffer): void {
    const callback = this.callback;
    if (!callback) {
      // Bytes nobody asked for: the connection is out of step, so it is not reused.
      this.fail('The ingest sent bytes nobody asked for.');
      return;
    }
    let response: IngestResponse | undefined;
    try {
      response = this.reader.push(chunk);
    } catch (error) {
      this.fail((error as Error).message);
      return;
    }
    if (response) this.complete(callback, response);
  }

  private onEnd(): void {
    const callback = this.callback;
    const response = callback ? this.reader.end() : undefined;
    if (callback && response) this.complete(callback, response);
    this.fail('The ingest closed the connection before answering.', true);
  }

  private complete(callback: RequestCallback, response: IngestResponse): void {
    this.callback = undefined;
    if (response.keepAlive) {
      this.setInactivityTimeout(this.timeouts.keepAliveTimeout);
      this.socket.unref();
      this.events.onIdle(this);
    } else {
      this.fail('The ingest asked to close the connection.');
    }
    callback(undefined, response);
  }

  /**
   * Socket reads and writes restart the countdown by themselves; setting it anew makes a timer and a
   * bound function, twice per request, so it happens only when the value changes (by default the
   * request and keep-alive timeouts are the same).
   */
  private setInactivityTimeout(milliseconds: number): void {
    if (this.socket.timeout !== milliseconds) this.socket.setTimeout(milliseconds);
  }

  /**
   * Closes the connection once; a request in flight fails with `reason`. `mayRetry`: the connection
   * broke (reset, closed), as opposed to timing out or answering badly.
   */
  private fail(reason: string, mayRetry = false): void {
    const callback = this.callback;
    this.callback = undefined;
    if (!this.closed) {
      this.closed = true;
      this.socket.destroy();
      this.events.onClosed(this);
    }
    if (!callback) return;
    // A reused connection that the ingest had already closed breaks before any byte of an answer:
    // the request never reached it, so it is safe to send again on a new connection.
    const retryable = mayRetry && this.requestsSent > 1 && !this.reader.received;
    callback(new RequestError(reason, retryable));
  }
}
