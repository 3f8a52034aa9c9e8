/**
 * A loopback Sentry-compatible ingest for tests: accepts `POST /api/:project/envelope/` like Relay (auth,
 * content encodings, strict framing), records everything, validates payloads, and answers as scripted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ClientReport, DiscardedEvent } from '../../packages/core/src/types/envelope';
import type { Event } from '../../packages/core/src/types/event';
import { HttpRejection, readEnvelopeRequest } from './envelope-request';
import { describeTraffic, labelledSchemaErrors, sumDiscardedEvents } from './ingest-queries';
import type {
  ReceivedEnvelope,
  ReceivedItem,
  ReceivedRequest,
  ScriptedResponse,
  StartIngestOptions,
  WaitCondition,
  WaitOptions,
} from './ingest-types';
import { loadValidators } from './schema-validation';

const DEFAULT_PUBLIC_KEY = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const DEFAULT_PROJECT_ID = '1';
const DEFAULT_WAIT_TIMEOUT_MS = 5000;
const WAIT_POLL_MS = 20;
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-sentry-error, x-sentry-rate-limits, retry-after',
};

/** Starts an ingest on 127.0.0.1 with a free port. Rejects when the event schema cannot be loaded. */
export async function startIngest(options: StartIngestOptions = {}): Promise<TestIngest> {
  loadValidators();
  const ingest = new TestIngest(options);
  await ingest.listen();
  return ingest;
}

export class TestIngest {
  readonly publicKey: string;
  readonly projectId: string;
  readonly secretKey: string | undefined;
  /** Every request, in arrival order, whatever the ingest answered. */
  readonly requests: ReceivedRequest[] = [];
  /** Every authenticated, well-formed envelope, accepted or not (see `accepted`). */
  readonly envelopes: ReceivedEnvelope[] = [];
  port = 0;

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<{ check: () => void; fail: (error: Error) => void }>();
  private readonly scripted: ScriptedResponse[] = [];
  private defaultResponse: ScriptedResponse = { status: 200 };
  /** Requests answered with `{ hang: true }`, held until released or closed. */
  private readonly hanging: Array<{ res: ServerResponse; request: ReceivedRequest; id: string | undefined }> =
    [];

  constructor(options: StartIngestOptions = {}) {
    this.publicKey = options.publicKey ?? DEFAULT_PUBLIC_KEY;
    this.projectId = options.projectId ?? DEFAULT_PROJECT_ID;
    this.secretKey = options.secretKey;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.reject(res, undefined, 500, String(error)));
    });
    // An SDK initialised in the same process (the tests' own) must not trace the ingest it reports to.
    if (!options.instrumentable) {
      (this.server as unknown as Record<symbol, boolean>)[
        Symbol.for('faultline.node.httpServerInstrumented')
      ] = true;
    }
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get dsn(): string {
    const auth = this.secretKey ? `${this.publicKey}:${this.secretKey}` : this.publicKey;
    return `http://${auth}@127.0.0.1:${this.port}/${this.projectId}`;
  }

  get envelopeUrl(): string {
    return `${this.url}/api/${this.projectId}/envelope/`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Queues answers for the next well-formed envelopes, one each; afterwards the default answer applies. */
  respondWith(...responses: ScriptedResponse[]): void {
    this.scripted.push(...responses);
  }

  setDefaultResponse(response: ScriptedResponse): void {
    this.defaultResponse = response;
  }

  /** Payloads of `event` items in accepted envelopes. */
  events(): Event[] {
    return this.items('event').map((item) => item.json as Event);
  }

  /** Waits for the first accepted event whose message is `message`, and returns it. */
  async eventWithMessage(message: string): Promise<Event> {
    const find = () => this.events().find((event) => event.logentry?.message === message);
    await this.waitFor(() => find() !== undefined);
    return find()!;
  }

  transactions(): Event[] {
    return this.items('transaction').map((item) => item.json as Event);
  }

  clientReports(): ClientReport[] {
    return this.items('client_report').map((item) => item.json as ClientReport);
  }

  /** Items of accepted envelopes, optionally only those of one type. */
  items(type?: string): ReceivedItem[] {
    return this.envelopes
      .filter((envelope) => envelope.accepted)
      .flatMap((envelope) => envelope.items)
      .filter((item) => type === undefined || item.type === type);
  }

  /** Client report `discarded_events`, summed per reason and category. */
  discardedEvents(): DiscardedEvent[] {
    return sumDiscardedEvents(this.clientReports());
  }

  /** Validation problems of every recorded envelope, labelled with where they were found. */
  schemaErrors(): string[] {
    return labelledSchemaErrors(this.envelopes);
  }

  /** Resolves once `envelopes.length >= condition`, or once the predicate returns true. */
  waitFor(condition: WaitCondition<TestIngest>, options: WaitOptions = {}): Promise<void> {
    const timeout = options.timeout ?? DEFAULT_WAIT_TIMEOUT_MS;
    let lastError: unknown;
    const holds = (): boolean => {
      try {
        return typeof condition === 'number' ? this.envelopes.length >= condition : condition(this);
      } catch (error) {
        lastError = error;
        return false;
      }
    };
    if (holds()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(waiter);
        if (error) reject(error);
        else resolve();
      };
      const waiter = { check: () => holds() && finish(), fail: finish };
      const poll = setInterval(waiter.check, WAIT_POLL_MS);
      const timer = setTimeout(() => {
        const wanted =
          typeof condition === 'number' ? `${condition} envelope(s)` : `predicate ${String(condition)}`;
        const cause = lastError ? `\nLast predicate error: ${String(lastError)}` : '';
        finish(
          new Error(
            `waitFor timed out after ${timeout}ms waiting for ${wanted}.\n${describeTraffic(this.requests, this.envelopes)}${cause}`,
          ),
        );
      }, timeout);
      this.waiters.add(waiter);
    });
  }

  /** Forgets recorded requests and envelopes, scripted responses and the default response. */
  reset(): void {
    this.requests.length = 0;
    this.envelopes.length = 0;
    this.scripted.length = 0;
    this.defaultResponse = { status: 200 };
  }

  /** Answers every request held by a `{ hang: true }` response with `response` (default 200). */
  releaseHanging(response: ScriptedResponse = { status: 200 }): void {
    for (const held of this.hanging.splice(0)) this.play(response, held.res, held.request, held.id);
  }

  /** Stops the server, destroying open sockets (hanging requests included) and failing pending waits. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const waiter of [...this.waiters])
      waiter.fail(new Error('waitFor aborted: the test ingest was closed'));
    this.hanging.length = 0;
    for (const socket of this.sockets) socket.destroy();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const request: ReceivedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      url: req.url ?? '/',
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      rawBody: new Uint8Array(Buffer.concat(chunks)),
      receivedAt: Date.now(),
    };
    this.requests.push(request);
    try {
      this.accept(request, res);
    } catch (error) {
      if (!(error instanceof HttpRejection)) throw error;
      this.reject(res, request, error.status, error.message);
    }
    this.notify();
  }

  private accept(request: ReceivedRequest, res: ServerResponse): void {
    if (request.method === 'OPTIONS') {
      const preflight = { 'access-control-allow-methods': 'POST', 'access-control-allow-headers': '*' };
      this.send(res, request, 200, preflight, '');
      return;
    }
    const { headers, items, responseId } = readEnvelopeRequest(request, this);
    const plan = this.scripted.shift() ?? this.defaultResponse;
    const accepted = 'status' in plan && plan.status >= 200 && plan.status < 300;
    this.envelopes.push({ headers, items, request, accepted });
    this.play(plan, res, request, responseId);
  }

  private play(
    plan: ScriptedResponse,
    res: ServerResponse,
    request: ReceivedRequest,
    id: string | undefined,
  ): void {
    if ('hang' in plan) {
      this.hanging.push({ res, request, id });
      return;
    }
    if ('destroy' in plan) {
      this.after(plan.delayMs, () => res.socket?.destroy());
      return;
    }
    const ok = plan.status >= 200 && plan.status < 300;
    const body =
      plan.body ?? JSON.stringify(ok ? (id ? { id } : {}) : { detail: `scripted ${plan.status} response` });
    this.after(plan.delayMs, () => this.send(res, request, plan.status, plan.headers ?? {}, body));
  }

  private after(delayMs: number | undefined, action: () => void): void {
    if (!delayMs) {
      action();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, delayMs);
    this.timers.add(timer);
  }

  private reject(
    res: ServerResponse,
    request: ReceivedRequest | undefined,
    status: number,
    detail: string,
  ): void {
    if (request) request.error = detail;
    this.send(
      res,
      request,
      status,
      { 'x-sentry-error': detail.replace(/[^\x20-\x7e]/g, '?') },
      JSON.stringify({ detail }),
    );
  }

  private send(
    res: ServerResponse,
    request: ReceivedRequest | undefined,
    status: number,
    headers: Record<string, string>,
    body: string,
  ): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', ...CORS_HEADERS, ...headers });
    res.end(body);
    if (request) request.status = status;
    this.notify();
  }
}
