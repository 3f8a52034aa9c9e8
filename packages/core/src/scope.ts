/**
 * Scope: the contextual data merged into events (PROTOCOL.md §8). Forks are copy-on-write: a clone
 * shares its parent's objects until one side writes, so forking per request or per span is cheap.
 */
import type { Client } from './client';
import { generatePropagationContext, type PropagationContext } from './propagation-context';
import { dateTimestampInSeconds } from './time';
import type {
  Attachment,
  Breadcrumb,
  CaptureContext,
  Context,
  Contexts,
  EventProcessor,
  SeverityLevel,
  TraceContext,
  User,
} from './types/event';

export const DEFAULT_MAX_BREADCRUMBS = 100;

/** Everything a scope holds, in the plain form used to merge scopes into events. */
export interface ScopeData {
  user: User;
  tags: Record<string, string>;
  extra: Record<string, unknown>;
  contexts: Contexts;
  level?: SeverityLevel;
  fingerprint: string[];
  transactionName?: string;
  breadcrumbs: Breadcrumb[];
  attachments: Attachment[];
  eventProcessors: EventProcessor[];
  propagationContext: PropagationContext;
  sdkProcessingMetadata: Record<string, unknown>;
  span?: unknown;
  /** Set by `suppressTracing`: no spans and no propagation headers below this scope. */
  suppressTracing?: boolean;
}

type SharedKey = 'user' | 'tags' | 'extra' | 'contexts' | 'breadcrumbs' | 'attachments' | 'eventProcessors';

/**
 * Keys whose objects forks share until one side writes. Ownership is a number, one bit per key (its
 * index here), so no Set is allocated per fork (two per request).
 */
const SHARED_KEYS: SharedKey[] = [
  'user',
  'tags',
  'extra',
  'contexts',
  'breadcrumbs',
  'attachments',
  'eventProcessors',
];
const ownedBit = (key: SharedKey): number => 1 << SHARED_KEYS.indexOf(key);
const OWNS_ALL = 127;

function emptyScopeData(propagationContext: PropagationContext): ScopeData {
  return {
    user: {},
    tags: {},
    extra: {},
    contexts: {},
    fingerprint: [],
    // Present (unset) from the start like `span` below: V8 adds a property to an object built by
    // spread (every fork's data) on a slow path, ~2 µs against ~0.1 µs for a store.
    level: undefined,
    transactionName: undefined,
    breadcrumbs: [],
    attachments: [],
    eventProcessors: [],
    propagationContext,
    sdkProcessingMetadata: {},
    span: undefined,
    suppressTracing: false,
  };
}

export class Scope {
  private _data: ScopeData;
  /** Keys whose objects this scope owns and may mutate in place; others are shared with a fork. */
  private _owned: number;
  private _client?: Client;
  private _lastEventId?: string;

  public constructor(data?: ScopeData) {
    this._data = data ?? emptyScopeData(generatePropagationContext());
    this._owned = data ? 0 : OWNS_ALL;
  }

  public clone(): Scope {
    const copy = new Scope({ ...this._data });
    copy._client = this._client;
    copy._lastEventId = this._lastEventId;
    // Both sides now share every object: neither may mutate in place any more.
    this._owned = 0;
    return copy;
  }

  private _writable<K extends SharedKey>(key: K): ScopeData[K] {
    if (!(this._owned & ownedBit(key))) {
      const value = this._data[key];
      // Object.assign, not a spread: the caller adds keys next, and Node 20 adds keys to a
      // spread-built object on a slow path (~2 µs each).
      this._data[key] = (Array.isArray(value) ? [...value] : Object.assign({}, value)) as ScopeData[K];
      this._owned |= ownedBit(key);
    }
    return this._data[key];
  }

  public setClient(client: Client | undefined): void {
    this._client = client;
  }

  public getClient<C extends Client = Client>(): C | undefined {
    return this._client as C | undefined;
  }

  public setLastEventId(eventId: string | undefined): void {
    this._lastEventId = eventId;
  }

  public lastEventId(): string | undefined {
    return this._lastEventId;
  }

  public setUser(user: User | null): this {
    this._data.user = user ? { ...user } : {};
    this._owned |= ownedBit('user');
    return this;
  }

  public getUser(): User | undefined {
    return Object.keys(this._data.user).length ? this._data.user : undefined;
  }

  public setTag(key: string, value: string | number | boolean | undefined): this {
    const tags = this._writable('tags');
    if (value === undefined) delete tags[key];
    else tags[key] = String(value);
    return this;
  }

  public setTags(tags: Record<string, string | number | boolean | undefined>): this {
    for (const key of Object.keys(tags)) this.setTag(key, tags[key]);
    return this;
  }

  public setExtra(key: string, value: unknown): this {
    this._writable('extra')[key] = value;
    return this;
  }

  public setExtras(extras: Record<string, unknown>): this {
    Object.assign(this._writable('extra'), extras);
    return this;
  }

  /** `null` removes the context. */
  public setContext(name: string, context: Context | TraceContext | null): this {
    const contexts = this._writable('contexts');
    if (context === null) delete contexts[name];
    else contexts[name] = context;
    return this;
  }

  public setLevel(level: SeverityLevel | undefined): this {
    this._data.level = level;
    return this;
  }

  public setFingerprint(fingerprint: string[] | undefined): this {
    this._data.fingerprint = fingerprint ? [...fingerprint] : [];
    return this;
  }

  public setTransactionName(name: string | undefined): this {
    this._data.transactionName = name;
    return this;
  }

  /** Appends to the ring buffer, dropping the oldest past `maxBreadcrumbs`. */
  public addBreadcrumb(breadcrumb: Breadcrumb, maxBreadcrumbs = DEFAULT_MAX_BREADCRUMBS): this {
    if (maxBreadcrumbs <= 0) return this;
    const crumbs = this._writable('breadcrumbs');
    crumbs.push({ timestamp: dateTimestampInSeconds(), ...breadcrumb });
    if (crumbs.length > maxBreadcrumbs) crumbs.splice(0, crumbs.length - maxBreadcrumbs);
    return this;
  }

  public getLastBreadcrumb(): Breadcrumb | undefined {
    return this._data.breadcrumbs[this._data.breadcrumbs.length - 1];
  }

  public clearBreadcrumbs(): this {
    this._data.breadcrumbs = [];
    this._owned |= ownedBit('breadcrumbs');
    return this;
  }

  public addAttachment(attachment: Attachment): this {
    this._writable('attachments').push(attachment);
    return this;
  }

  public clearAttachments(): this {
    this._data.attachments = [];
    this._owned |= ownedBit('attachments');
    return this;
  }

  public addEventProcessor(processor: EventProcessor): this {
    this._writable('eventProcessors').push(processor);
    return this;
  }

  public setPropagationContext(context: PropagationContext): this {
    this._data.propagationContext = context;
    return this;
  }

  public getPropagationContext(): PropagationContext {
    return this._data.propagationContext;
  }

  public setSdkProcessingMetadata(metadata: Record<string, unknown>): this {
    // Object.assign: Node 20 builds `{ ...a, ...b }` on a slow path, and this runs per request.
    this._data.sdkProcessingMetadata = Object.assign({}, this._data.sdkProcessingMetadata, metadata);
    return this;
  }

  /** Applies capture-time data (`captureException(e, { tags })`) or a scope-updating callback result. */
  public update(context: CaptureContext | Scope): this {
    const data = context instanceof Scope ? context.getScopeData() : context;
    if (data.user) this.setUser(data.user);
    if (data.tags) this.setTags(data.tags as Record<string, string>);
    if (data.extra) this.setExtras(data.extra);
    if (data.contexts)
      for (const [name, value] of Object.entries(data.contexts)) this.setContext(name, value ?? null);
    if (data.level) this.setLevel(data.level);
    if (data.fingerprint?.length) this.setFingerprint(data.fingerprint);
    return this;
  }

  /** Clears user data but keeps the client and the trace. */
  public clear(): this {
    this._data = emptyScopeData(this._data.propagationContext);
    this._owned = OWNS_ALL;
    return this;
  }

  /** A read-only view of this scope's data; callers must not mutate it (the slots below excepted). */
  public getScopeData(): ScopeData {
    return this._data;
  }
}

/*
 * Tracing's slots on a scope, written by functions rather than methods so that bundles without
 * tracing leave them out. A scope's data object is its own (a fork copies it), so a slot is written
 * in place.
 */

/** The active span slot, typed by the tracing module that owns it. */
export function setActiveSpanSlot(scope: Scope, span: unknown): void {
  scope.getScopeData().span = span;
}

/** No spans and no propagation headers below this scope (see `suppressTracing`). */
export function suppressTracingOn(scope: Scope): void {
  scope.getScopeData().suppressTracing = true;
}
