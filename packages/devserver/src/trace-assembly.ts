/**
 * Builds a trace's waterfall from the spans of every service that reported into it: parent links across
 * services make one tree (a span whose parent never arrived becomes a root), and each error event marks the
 * span that was active when it happened (its `contexts.trace.span_id`).
 */
import type { TraceDetail, TraceError, WaterfallSpan } from './api-types';

export interface TraceSpanRow {
  span_id: string;
  parent_span_id: string | null;
  service: string;
  op: string | null;
  description: string | null;
  status: string | null;
  start: number;
  end: number;
  is_segment: number;
  data: string | null;
  event_id: string;
}

export interface TraceErrorRow {
  event_id: string;
  issue_id: number | null;
  title: string;
  service: string;
  span_id: string | null;
  timestamp: number;
}

export function assembleTrace(
  traceId: string,
  spanRows: TraceSpanRow[],
  errorRows: TraceErrorRow[],
): TraceDetail {
  // Spans define the trace's extent; errors only do when no span of the trace arrived.
  const times =
    spanRows.length > 0
      ? spanRows.flatMap((span) => [span.start, span.end])
      : errorRows.map((error) => error.timestamp);
  const origin = Math.min(...times);
  const end = Math.max(...times);
  const offsetMs = (seconds: number) => roundMs((seconds - origin) * 1000);
  const errors: TraceError[] = errorRows.map((row) => ({
    eventId: row.event_id,
    issueId: row.issue_id,
    title: row.title,
    service: row.service,
    spanId: row.span_id,
    offsetMs: offsetMs(row.timestamp),
  }));

  const byId = new Map(spanRows.map((row) => [row.span_id, row]));
  const children = new Map<string, TraceSpanRow[]>();
  const roots: TraceSpanRow[] = [];
  for (const row of [...spanRows].sort(byStart)) {
    const parent =
      row.parent_span_id && row.parent_span_id !== row.span_id ? byId.get(row.parent_span_id) : undefined;
    if (parent) children.set(parent.span_id, [...(children.get(parent.span_id) ?? []), row]);
    else roots.push(row);
  }

  const ordered: WaterfallSpan[] = [];
  const visited = new Set<string>();
  const visit = (row: TraceSpanRow, depth: number) => {
    if (visited.has(row.span_id)) return;
    visited.add(row.span_id);
    const spanErrors = errors.filter((error) => error.spanId === row.span_id);
    ordered.push({
      spanId: row.span_id,
      parentSpanId: row.parent_span_id,
      depth,
      service: row.service,
      op: row.op,
      description: row.description,
      status: row.status,
      startOffsetMs: offsetMs(row.start),
      durationMs: roundMs((row.end - row.start) * 1000),
      isTransaction: row.is_segment === 1,
      eventId: row.event_id,
      error: spanErrors.length > 0,
      errors: spanErrors,
      data: row.data ? (JSON.parse(row.data) as Record<string, unknown>) : null,
    });
    for (const child of children.get(row.span_id) ?? []) visit(child, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  // Parent cycles (a broken SDK) leave spans unreached from any root: show them at the top level.
  for (const row of spanRows) visit(row, 0);

  const services = [
    ...new Set([...ordered.map((span) => span.service), ...errors.map((error) => error.service)]),
  ];
  const rootSpan = ordered[0];
  return {
    traceId,
    rootName: rootSpan?.description ?? errorRows[0]?.title ?? null,
    rootService: rootSpan?.service ?? errorRows[0]?.service ?? null,
    services,
    start: new Date(Math.round(origin * 1000)).toISOString(),
    startTimestamp: origin,
    durationMs: roundMs((end - origin) * 1000),
    spanCount: spanRows.length,
    errorCount: errors.length,
    roots: roots.map((row) => row.span_id),
    spans: ordered,
    errors,
  };
}

function byStart(a: TraceSpanRow, b: TraceSpanRow): number {
  return a.start - b.start || b.is_segment - a.is_segment;
}

function roundMs(value: number): number {
  return Math.round(value * 1000) / 1000;
}
