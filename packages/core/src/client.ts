/**
 * The client owns options, integrations and the transport, and runs the event pipeline
 * (PROTOCOL.md §8): processors → beforeSend → sampling → envelope → transport. Every drop is
 * counted for client reports. It never throws into user code.
 */

import { checkOrMarkCaptured } from './captured-once';
import type { ClientOptions } from './client-options';
import { ClientReportRecorder, clientReportItem } from './client-report-recorder';
import { debug } from './debug-logger';
import { type Dsn, dsnToString, envelopeEndpointWithAuth, parseDsn } from './dsn';
import { createEventEnvelope } from './event-envelope';
import { eventFromUnknownInput } from './exception-from-error';
import { getCurrentScope, getGlobalScope, getIsolationScope } from './hub';
import { setupIntegration } from './integration';
import { isThenable } from './is-thenable';
import { prepareEvent } from './prepare-event';
import { makePromiseBuffer } from './promise-buffer';
import { uuid4 } from './random';
import type { Scope } from './scope';
import type { Span } from './span';
import type { DataCategory } from './types/data-category';
import type { DiscardReason, Envelope } from './types/envelope';
import type { Event, EventHint, EventProcessor, SdkInfo } from './types/event';
import type { Integration } from './types/integration';
import type { Transport, TransportResponse } from './types/transport';

/** Hook name → arguments. Runtime packages and tracing add their own hooks by declaration merging. */
export interface ClientHooks {
  preprocessEvent: [event: Event, hint: EventHint];
  beforeSendEvent: [event: Event, hint: EventHint];
  afterSendEvent: [event: Event, response: TransportResponse | undefined];
  beforeEnvelope: [envelope: Envelope];
  spanStart: [span: Span];
  spanEnd: [span: Span];
  flush: [];
  close: [];
}

export class Client<O extends ClientOptions = ClientOptions> {
  protected readonly _options: O;
  protected readonly _dsn?: Dsn;
  /** The DSN as envelope headers carry it. */
  private readonly _dsnHeader?: string;
  protected readonly _transport?: Transport;
  private readonly _integrations = new Map<string, Integration>();
  private readonly _processors: EventProcessor[] = [];
  private readonly _hooks = new Map<string, Set<(...args: any[]) => void>>();
  private readonly _reports = new ClientReportRecorder();
  /** `event.sdk`: the SDK identity with the names of the integrations it was configured with. */
  private readonly _sdk: SdkInfo;
  private _enabled: boolean;
  /** Captures still in the pipeline (processors, beforeSend), which `flush` waits for. */
  private readonly _pending = makePromiseBuffer(Infinity);

  public constructor(options: O) {
    this._options = options;
    this._sdk = { ...options.sdk, integrations: options.integrations.map((integration) => integration.name) };
    if (options.debug) debug.enable();
    this._enabled = options.enabled !== false;
    if (options.dsn) {
      this._dsn = parseDsn(options.dsn);
      if (!this._dsn) {
        debug.warnOnce(`Invalid DSN "${options.dsn}": SDK disabled.`);
      }
    }
    if (this._dsn) {
      this._dsnHeader = dsnToString(this._dsn);
      this._transport = options.transport?.({
        url: envelopeEndpointWithAuth(this._dsn, options.sdk),
        recordDroppedEvent: (reason, category, quantity) =>
          this.recordDroppedEvent(reason, category, quantity),
        restoreClientReport: (report) => {
          for (const { reason, category, quantity } of report.discarded_events)
            this.recordDroppedEvent(reason, category, quantity);
        },
        ...options.transportOptions,
      });
    }
  }

  /** Installs the integrations. Called once by `init`. */
  public init(): void {
    for (const integration of this._options.integrations) this.addIntegration(integration, false);
    for (const integration of this._integrations.values()) {
      try {
        integration.afterAllSetup?.(this);
      } catch (error) {
        debug.errorOnce(`Integration ${integration.name} failed after setup: ${String(error)}`);
      }
    }
  }

  public addIntegration(integration: Integration, runAfterSetup = true): void {
    if (this._integrations.has(integration.name)) return;
    this._integrations.set(integration.name, integration);
    setupIntegration(this, integration);
    if (integration.processEvent) {
      this._processors.push((event, hint) => integration.processEvent!(event, hint, this));
    }
    if (runAfterSetup) integration.afterAllSetup?.(this);
  }

  public getIntegrationByName<T extends Integration = Integration>(name: string): T | undefined {
    return this._integrations.get(name) as T | undefined;
  }

  public getOptions(): O {
    return this._options;
  }

  public getDsn(): Dsn | undefined {
    return this._dsn;
  }

  public getTransport(): Transport | undefined {
    return this._transport;
  }

  /** True when events can leave the process: enabled, a valid DSN and a transport. */
  public isEnabled(): boolean {
    return this._enabled && this._transport !== undefined;
  }

  public captureException(exception: unknown, hint?: EventHint, scope?: Scope): string {
    if (checkOrMarkCaptured(exception)) {
      debug.log('Error already captured, not sent again.');
      return hint?.event_id ?? uuid4();
    }
    return this._capture(
      Object.assign({}, hint, { originalException: exception }),
      (fullHint) => eventFromUnknownInput(this._options.stackParser, exception, fullHint, this._options),
      scope,
    );
  }

  public captureEvent(event: Event, hint?: EventHint, scope?: Scope, isolationScope?: Scope): string {
    return this._capture(
      // Object.assign, not spreads with more keys: Node 20 builds those on a slow path (~1 µs each).
      Object.assign({}, hint, { event_id: event.event_id ?? hint?.event_id }),
      (fullHint) => Object.assign({}, event, { event_id: fullHint.event_id }),
      scope,
      isolationScope,
      event.type === 'transaction',
    );
  }

  /** Records a discarded item for the next client report. */
  public recordDroppedEvent(reason: DiscardReason, category: DataCategory, quantity = 1): void {
    if (this._options.sendClientReports === false) return;
    // No message built per call: at a low sample rate every unsampled request drops two items.
    debug.log('Dropped item(s):', quantity, category, reason);
    this._reports.record(reason, category, quantity);
  }

  /**
   * Sends an envelope, adding pending client reports. Resolves with the response; never rejects. Not
   * an async function, which costs promises and microtasks per envelope, each running Node 20's async
   * hooks.
   */
  public sendEnvelope(envelope: Envelope): Promise<TransportResponse | undefined> {
    const transport = this._enabled && this._transport;
    const report = transport && this._options.sendClientReports !== false && this._reports.take();
    const items = report ? [...envelope.items, clientReportItem(report)] : envelope.items;
    let sent: PromiseLike<TransportResponse | undefined> | undefined;
    try {
      if (transport && items.length) {
        const toSend: Envelope = { headers: envelope.headers, items };
        this.emit('beforeEnvelope', toSend);
        sent = transport.send(toSend);
      }
    } catch (error) {
      sent = Promise.reject(error);
    }
    return Promise.resolve(sent).then(undefined, transportFailed);
  }

  /**
   * Waits for pending captures and the transport queue; true if all finished within `timeout` ms.
   * No timeout (or one ≤ 0) waits as long as it takes.
   */
  public async flush(timeout?: number): Promise<boolean> {
    const deadline = timeout && timeout > 0 ? Date.now() + timeout : undefined;
    const captured = await this._pending.drain(timeout);
    this.emit('flush');
    // Pending client reports on their own: an envelope with no other items gets just the report.
    // Not awaited: the transport's queue tracks the report, and its flush below is bounded.
    void this.sendEnvelope({ headers: { dsn: this._dsnHeader }, items: [] });
    if (!this._transport) return captured;
    if (deadline === undefined) return (await this._transport.flush()) && captured;
    const remaining = deadline - Date.now();
    return remaining > 0 && (await this._transport.flush(remaining)) && captured;
  }

  /** Flushes, then disables the client. */
  public async close(timeout?: number): Promise<boolean> {
    const result = await this.flush(timeout ?? this._options.shutdownTimeout);
    this._enabled = false;
    this.emit('close');
    return result;
  }

  public on<K extends keyof ClientHooks>(hook: K, callback: (...args: ClientHooks[K]) => void): () => void {
    let callbacks = this._hooks.get(hook);
    if (!callbacks) {
      callbacks = new Set();
      this._hooks.set(hook, callbacks);
    }
    callbacks.add(callback);
    return () => callbacks.delete(callback);
  }

  public emit<K extends keyof ClientHooks>(hook: K, ...args: ClientHooks[K]): void {
    const callbacks = this._hooks.get(hook);
    if (!callbacks) return;
    for (const callback of callbacks) {
      try {
        callback(...args);
      } catch (error) {
        debug.errorOnce(`${String(hook)} hook threw: ${String(error)}`);
      }
    }
  }

  /** Gives the capture its event id (the error's `lastEventId` too) and tracks it until it is sent. */
  private _capture(
    hint: EventHint,
    build: (hint: EventHint) => Event,
    scope?: Scope,
    isolationScope?: Scope,
    isTransaction?: boolean,
  ): string {
    const eventId = hint.event_id ?? uuid4();
    hint.event_id = eventId;
    if (!isTransaction) getIsolationScope().setLastEventId(eventId);
    const capture = this._captureEvent(() => build(hint), hint, scope, isolationScope);
    if (capture) void this._pending.add(() => capture);
    return eventId;
  }

  /**
   * The pipeline for one event; the promise of its send, or undefined once it is dropped. It runs
   * synchronously (up to the send) unless a processor or `beforeSend` returns a promise, so the event
   * sees the scopes as they were at the capture call, whatever the caller changes afterwards; the
   * envelope's trace header reads the same current scope. Not an async function: that and each await
   * cost promises and microtasks per event, each running Node 20's async hooks (this and a sendEnvelope
   * without them took a transaction from ~254,500 instructions to ~250,100). `build` returns an event
   * the client owns (a fresh one, or a copy of the caller's): the pipeline fills it in place. The
   * last step stays a closure here rather than a method of its own: as a method it put the tracing
   * bundle 6 B over its 20 KB budget. Never throws or rejects.
   */
  protected _captureEvent(
    build: () => Event,
    hint: EventHint,
    scope: Scope = getCurrentScope(),
    isolationScope: Scope = getIsolationScope(),
  ): PromiseLike<unknown> | undefined {
    let category: DataCategory = 'error';
    const failed = (error: unknown): undefined => {
      this.recordDroppedEvent('internal_sdk_error', category);
      debug.errorOnce(`Failed to capture ${category}: ${String(error)}`);
    };
    try {
      if (!this.isEnabled()) return undefined;
      const event = build();
      if (event.type === 'transaction') category = 'transaction';
      for (const integration of this._integrations.values()) integration.preprocessEvent?.(event, hint, this);
      this.emit('preprocessEvent', event, hint);
      const scopes = [getGlobalScope(), isolationScope, scope];
      return continueWith(
        prepareEvent(this._options, event, hint, scopes, this._processors, this._sdk),
        (prepared) =>
          prepared
            ? continueWith(
                // `beforeSend` (or `beforeSendTransaction`), unchecked: its result or promise.
                (this._options[beforeSendName(prepared)] ?? unchanged)(prepared, hint),
                (final) => {
                  if (final !== null && (typeof final !== 'object' || Array.isArray(final))) {
                    debug.warnOnce(`${beforeSendName(prepared)} must return an event or null: dropped.`);
                    final = null;
                  }
                  if (!final) return recordDrop(this, 'before_send', prepared);
                  const sampleRate = this._options.sampleRate;
                  if (category === 'error' && typeof sampleRate === 'number' && Math.random() >= sampleRate)
                    return recordDrop(this, 'sample_rate', final);
                  this.emit('beforeSendEvent', final, hint);
                  const envelope = createEventEnvelope(
                    final,
                    hint,
                    this._dsnHeader,
                    this._options.sdk,
                    this,
                    scope,
                  );
                  const sent = this.sendEnvelope(envelope);
                  // No promise more per event (and its async hooks) unless someone listens.
                  if (!this._hooks.has('afterSendEvent')) return sent;
                  return sent.then((response) => this.emit('afterSendEvent', final, response));
                },
                failed,
              )
            : recordDrop(this, 'event_processor', event),
        failed,
      );
    } catch (error) {
      failed(error);
    }
  }
}

function transportFailed(error: unknown): undefined {
  debug.errorOnce(`Transport failed: ${String(error)}`);
  return undefined;
}

/**
 * `next(value)`, at once or once `value` resolves: the pipeline waits only for a step that returned a
 * promise. A rejection, or a throw in `next` after the wait, goes to `failed`.
 */
function continueWith<T>(
  value: T | PromiseLike<T>,
  next: (value: T) => PromiseLike<unknown> | undefined,
  failed: (error: unknown) => undefined,
): PromiseLike<unknown> | undefined {
  return isThenable(value) ? value.then(next).then(undefined, failed) : next(value);
}

/** Counts a dropped event, a transaction with its spans, for client reports. */
function recordDrop(client: Client, reason: DiscardReason, event: Event): undefined {
  if (event.type === 'transaction') recordTransactionDrop(client, reason, event.spans?.length ?? 0);
  else client.recordDroppedEvent(reason, 'error');
}

/** Counts a dropped transaction: itself, and its root span with `childSpans` children (PROTOCOL.md §3.7). */
export function recordTransactionDrop(client: Client, reason: DiscardReason, childSpans: number): void {
  client.recordDroppedEvent(reason, 'transaction');
  client.recordDroppedEvent(reason, 'span', childSpans + 1);
}

const unchanged = (event: Event): Event => event;

function beforeSendName(event: Event): 'beforeSend' | 'beforeSendTransaction' {
  return event.type === 'transaction' ? 'beforeSendTransaction' : 'beforeSend';
}
