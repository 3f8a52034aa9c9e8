/** Reads for traces: the list of recent traces and one trace assembled into its waterfall. */
import type { TraceDetail, TraceSummary } from '../api-types';
import { assembleTrace, type TraceErrorRow, type TraceSpanRow } from '../trace-assembly';
import type { SqliteDatabase } from './database';
import { isoTime } from './event-views';
import { USER_MATCH } from './issue-queries';
import { scalar } from './sqlite-driver';

export interface TraceFilter {
  /** Text in the root name or a service name, or a trace id prefix. */
  query?: string;
  service?: string;
  /** Traces in which some event carries this user (id, email, username or IP). */
  user?: string;
  release?: string;
  /** Only traces with at least one error. */
  withErrors?: boolean;
  limit?: number;
  offset?: number;
}

interface TraceRow {
  trace_id: string;
  start: number;
  end: number;
  root_name: string | null;
  root_service: string | null;
  services: string;
  span_count: number;
  error_count: number;
}

export class TraceQueries {
  constructor(private readonly db: SqliteDatabase) {}

  list(filter: TraceFilter = {}): { traces: TraceSummary[]; total: number } {
    const conditions: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.query) {
      conditions.push(
        `(root_name LIKE @like ESCAPE '\\' OR services LIKE @like ESCAPE '\\' OR trace_id LIKE @prefix)`,
      );
      const escaped = filter.query.replace(/[\\%_]/g, '\\$&');
      params.like = `%${escaped}%`;
      params.prefix = `${filter.query.replaceAll('-', '').toLowerCase()}%`;
    }
    if (filter.service) {
      conditions.push('EXISTS (SELECT 1 FROM json_each(traces.services) WHERE value = @service)');
      params.service = filter.service;
    }
    if (filter.user) {
      conditions.push(`trace_id IN (SELECT trace_id FROM events WHERE ${USER_MATCH})`);
      params.user = filter.user;
    }
    if (filter.release) {
      conditions.push('trace_id IN (SELECT trace_id FROM events WHERE release = @release)');
      params.release = filter.release;
    }
    if (filter.withErrors) conditions.push('error_count > 0');
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const total = scalar(this.db.prepare(`SELECT COUNT(*) FROM traces ${where}`).get(params)) as number;
    const rows = this.db
      .prepare(`SELECT * FROM traces ${where} ORDER BY start DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: filter.limit ?? 100, offset: filter.offset ?? 0 }) as TraceRow[];
    return { traces: rows.map(traceSummary), total };
  }

  summary(traceId: string): TraceSummary | undefined {
    const row = this.db.prepare('SELECT * FROM traces WHERE trace_id = ?').get(traceId) as
      | TraceRow
      | undefined;
    return row && traceSummary(row);
  }

  get(traceId: string): TraceDetail | undefined {
    const id = traceId.replaceAll('-', '').toLowerCase();
    const spans = this.db
      .prepare(
        `SELECT spans.span_id, parent_span_id, spans.service, op, description, status, start, end, is_segment,
           data, events.event_id
         FROM spans JOIN events ON events.id = spans.event_row WHERE spans.trace_id = ?`,
      )
      .all(id) as TraceSpanRow[];
    const errors = this.db
      .prepare(
        `SELECT event_id, issue_id, title, service, span_id, timestamp FROM events
         WHERE trace_id = ? AND kind = 'error' ORDER BY timestamp`,
      )
      .all(id) as TraceErrorRow[];
    if (spans.length === 0 && errors.length === 0) return undefined;
    return assembleTrace(id, spans, errors);
  }
}

export function traceSummary(row: TraceRow): TraceSummary {
  return {
    traceId: row.trace_id,
    rootName: row.root_name,
    rootService: row.root_service,
    services: JSON.parse(row.services) as string[],
    start: isoTime(row.start),
    durationMs: Math.round((row.end - row.start) * 1_000_000) / 1000,
    spanCount: row.span_count,
    errorCount: row.error_count,
  };
}
