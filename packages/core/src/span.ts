/**
 * Spans. A sampled span records names, attributes and timestamps; an unsampled one is a
 * NonRecordingSpan that only carries ids for propagation, so it costs next to nothing. Spans of one
 * local trace share a TraceSegment: the root, the sampling decision, the frozen DSC, and (when
 * recording) the finished children that ride inside the root's transaction.
 */
import type { Client } from './client';
import type { Scope } from './scope';
import {
  asRecordingSpan,
  getDynamicSamplingContextFromSpan,
  getRootSpan,
  spanToTraceContext,
} from './span-context';
import type { SpanStatus } from './span-status';
import { spanStatusFromHttpCode } from './span-status';
import { timestampInSeconds } from './time';
import type { DynamicSamplingContext } from './types/envelope';
import type { Measurement, SpanJSON, TraceContext, TransactionSource } from './types/event';

export type SpanAttributeValue = string | number | boolean | Array<string | number | boolean> | undefined;
export type SpanAttributes = Record<string, SpanAttributeValue>;

export interface SpanContext {
  traceId: string;
  spanId: string;
  /** 1 = sampled, 0 = not sampled or no decision (W3C trace flags). */
  traceFlags: 0 | 1;
}

export interface Span {
  spanContext(): SpanContext;
  isRecording(): boolean;
  setAttribute(key: string, value: SpanAttributeValue): this;
  setAttributes(attributes: SpanAttributes): this;
  setStatus(status: SpanStatus): this;
  /** Sets the status from an HTTP response code and records `http.response.status_code`. */
  setHttpStatus(code: number): this;
  /** Renames the span; for a root span `source` says how good the name is (`route`, `url`, ...). */
  updateName(name: string, source?: TransactionSource): this;
  /** Unix seconds (or a Date / milliseconds); default now. Ending twice is a no-op. */
  end(endTime?: SpanTime): void;
}

/** Seconds since the epoch, milliseconds since the epoch (values above 1e10), or a Date. */
export type SpanTime = number | Date;

export function toSeconds(time: SpanTime | undefined): number {
  if (time === undefined) return timestampInSeconds();
  if (time instanceof Date) return time.getTime() / 1000;
  return time > 1e10 ? time / 1000 : time;
}

/** What the spans of one local trace share. */
export interface TraceSegment {
  root: Span;
  client?: Client;
  /** undefined = deferred (tracing without performance and no upstream decision). */
  sampled: boolean | undefined;
  sampleRand: number;
  sampleRate?: number;
  /** The frozen DSC: as received with the trace, else ours from its first propagation or envelope on. */
  dsc?: DynamicSamplingContext;
  /** Recording only: scopes the root started in, which the transaction is captured with. */
  scope?: Scope;
  isolationScope?: Scope;
  finished: SpanJSON[];
  open: Set<RecordingSpan>;
  dropped: number;
  ended: boolean;
  /** Called once when the root ends, with the finished children. */
  onRootEnd?: (root: RecordingSpan, segment: TraceSegment) => void;
  onChildEnd?: (span: RecordingSpan) => void;
}

/** The most children one transaction carries (PROTOCOL.md §2.5); the rest are counted as dropped. */
export const MAX_SPANS_PER_TRANSACTION = 1000;

/**
 * Ids and trace membership every span has, and what an event captured while the span is active reads
 * off it. Those readers are methods so that the error pipeline calls them without importing any
 * tracing code: an errors-only bundle never has a span to call them on.
 */
export abstract class SpanBase {
  public constructor(
    public readonly traceId: string,
    public readonly spanId: string,
    public readonly segment: TraceSegment | undefined,
    public readonly parentSpanId?: string,
  ) {}

  public spanContext(): SpanContext {
    return { traceId: this.traceId, spanId: this.spanId, traceFlags: this instanceof RecordingSpan ? 1 : 0 };
  }

  /** `contexts.trace` of an error captured under this span. */
  public eventTraceContext(): TraceContext {
    return spanToTraceContext(this as unknown as Span);
  }

  /** The name of the transaction this span belongs to, when one is being recorded. */
  public eventTransactionName(): string | undefined {
    return asRecordingSpan(getRootSpan(this as unknown as Span))?.name;
  }

  /** The trace's DSC for an envelope, frozen from now on. */
  public envelopeDynamicSamplingContext(): DynamicSamplingContext | undefined {
    return getDynamicSamplingContextFromSpan(this as unknown as Span, true);
  }
}

export class NonRecordingSpan extends SpanBase implements Span {
  public isRecording(): boolean {
    return false;
  }
  public setAttribute(): this {
    return this;
  }
  public setAttributes(): this {
    return this;
  }
  public setStatus(): this {
    return this;
  }
  public setHttpStatus(): this {
    return this;
  }
  public updateName(): this {
    return this;
  }
  public end(): void {}
}

export class RecordingSpan extends SpanBase implements Span {
  declare public readonly segment: TraceSegment;
  public name: string;
  public op?: string;
  public origin: string;
  public status?: SpanStatus;
  public source: TransactionSource;
  public readonly attributes: SpanAttributes;
  public readonly startTimestamp: number;
  public endTimestamp?: number;
  public measurements?: Record<string, Measurement>;

  public constructor(
    traceId: string,
    spanId: string,
    segment: TraceSegment,
    parentSpanId: string | undefined,
    init: {
      name: string;
      op?: string;
      origin?: string;
      attributes?: SpanAttributes;
      source?: TransactionSource;
      startTime?: SpanTime;
    },
  ) {
    super(traceId, spanId, segment, parentSpanId);
    this.name = init.name;
    this.op = init.op;
    this.origin = init.origin ?? 'manual';
    this.source = init.source ?? 'custom';
    // Object.assign, not a spread: Node 20's V8 adds keys to a spread-built object on a slow path
    // (~2 µs a key), and setHttpStatus/setAttribute add keys to this one.
    this.attributes = Object.assign({}, init.attributes);
    this.startTimestamp = toSeconds(init.startTime);
  }

  public isRecording(): boolean {
    return this.endTimestamp === undefined;
  }

  public setAttribute(key: string, value: SpanAttributeValue): this {
    if (value === undefined) delete this.attributes[key];
    else this.attributes[key] = value;
    return this;
  }

  public setAttributes(attributes: SpanAttributes): this {
    for (const key of Object.keys(attributes)) this.setAttribute(key, attributes[key]);
    return this;
  }

  public setStatus(status: SpanStatus): this {
    this.status = status;
    return this;
  }

  public setHttpStatus(code: number): this {
    this.attributes['http.response.status_code'] = code;
    return this.setStatus(spanStatusFromHttpCode(code));
  }

  public updateName(name: string, source?: TransactionSource): this {
    this.name = name;
    if (source) this.source = source;
    return this;
  }

  /** A measurement on the transaction this span belongs to (web vitals, custom numbers). */
  public setMeasurement(name: string, value: number, unit?: string): this {
    const root = this.segment.root as RecordingSpan;
    root.measurements = { ...root.measurements, [name]: unit ? { value, unit } : { value } };
    return this;
  }

  public end(endTime?: SpanTime): void {
    if (this.endTimestamp !== undefined) return;
    const end = Math.max(this.startTimestamp, toSeconds(endTime));
    this.endTimestamp = end;
    const segment = this.segment;
    if (segment.root === this) {
      // Children still open end with the root (status `cancelled` unless set), so every child's parent is
      // inside the transaction; ending them later changes nothing.
      for (const child of segment.open) {
        child.status ??= 'cancelled';
        child.attributes['faultline.ended_with_root'] = true;
        child.end(end);
      }
      segment.ended = true;
      segment.onRootEnd?.(this, segment);
      return;
    }
    segment.onChildEnd?.(this);
    if (segment.ended || !segment.open.delete(this)) return;
    if (segment.finished.length < MAX_SPANS_PER_TRANSACTION) segment.finished.push(this.toJSON());
    else segment.dropped++;
  }

  /**
   * The span as a child of a transaction (PROTOCOL.md §3.2); its data carries the `sentry.*` keys the
   * product reads (op, origin, and for a root the source of the name and the sample rate).
   */
  public toJSON(): SpanJSON {
    const data: Record<string, unknown> = Object.assign({}, this.attributes);
    data['sentry.origin'] = this.origin;
    const json: SpanJSON = {
      span_id: this.spanId,
      trace_id: this.traceId,
      start_timestamp: this.startTimestamp,
      timestamp: this.endTimestamp,
      description: this.name,
      origin: this.origin,
      data,
    };
    if (this.parentSpanId) json.parent_span_id = this.parentSpanId;
    if (this.op) json.op = data['sentry.op'] = this.op;
    if (this.status) json.status = this.status;
    if (this.segment.root === this) {
      data['sentry.source'] = this.source;
      if (this.segment.sampleRate !== undefined) data['sentry.sample_rate'] = this.segment.sampleRate;
    }
    return json;
  }
}
