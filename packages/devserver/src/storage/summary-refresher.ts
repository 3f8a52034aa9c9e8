/** Recomputes an issue's or a trace's summary row from the events and spans that remain. */
import type { SqliteDatabase } from './database';
import { column, scalar } from './sqlite-driver';

interface IssueAggregate {
  count: number;
  user_count: number;
  first_seen: number | null;
  last_seen: number | null;
}

interface LatestEvent {
  event_id: string;
  title: string;
  culprit: string | null;
  level: string | null;
}

interface SpanAggregate {
  start: number | null;
  end: number | null;
  span_count: number;
}

interface ErrorAggregate {
  error_count: number;
  first: number | null;
  last: number | null;
}

export class SummaryRefresher {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    this.statements = {
      issueAggregate: db.prepare(
        `SELECT COUNT(*) AS count, COUNT(DISTINCT user_key) AS user_count, MIN(timestamp) AS first_seen,
           MAX(timestamp) AS last_seen
         FROM events WHERE issue_id = ?`,
      ),
      latestIssueEvent: db.prepare(
        `SELECT event_id, title, culprit, level FROM events WHERE issue_id = ?
         ORDER BY timestamp DESC, id DESC LIMIT 1`,
      ),
      updateIssue: db.prepare(
        `UPDATE issues SET count = @count, user_count = @user_count, first_seen = @first_seen,
           last_seen = @last_seen, last_event_id = @event_id, title = @title, culprit = @culprit, level = @level
         WHERE id = @id`,
      ),
      deleteIssue: db.prepare('DELETE FROM issues WHERE id = ?'),
      issueExists: db.prepare('SELECT 1 FROM issues WHERE id = ?'),
      spanAggregate: db.prepare(
        'SELECT MIN(start) AS start, MAX(end) AS end, COUNT(*) AS span_count FROM spans WHERE trace_id = ?',
      ),
      errorAggregate: db.prepare(
        `SELECT COUNT(*) AS error_count, MIN(timestamp) AS first, MAX(timestamp) AS last
         FROM events WHERE trace_id = ? AND kind = 'error'`,
      ),
      root: db.prepare(
        `SELECT description, service FROM spans AS span WHERE trace_id = @traceId AND (parent_span_id IS NULL
           OR NOT EXISTS (SELECT 1 FROM spans AS parent WHERE parent.trace_id = @traceId
             AND parent.span_id = span.parent_span_id))
         ORDER BY start, is_segment DESC LIMIT 1`,
      ),
      firstError: db.prepare(
        `SELECT COALESCE(transaction_name, title) AS description, service FROM events
         WHERE trace_id = ? AND kind = 'error' ORDER BY timestamp LIMIT 1`,
      ),
      services: db.prepare(
        `SELECT service FROM (SELECT service, MIN(start) AS first FROM spans WHERE trace_id = @traceId GROUP BY service
           UNION ALL SELECT service, MIN(timestamp) FROM events WHERE trace_id = @traceId GROUP BY service)
         GROUP BY service ORDER BY MIN(first)`,
      ),
      lastReceived: db.prepare(
        `SELECT MAX(received) FROM events WHERE trace_id = @traceId
           OR id IN (SELECT event_row FROM spans WHERE trace_id = @traceId)`,
      ),
      upsertTrace: db.prepare(
        `INSERT OR REPLACE INTO traces (trace_id, start, end, root_name, root_service, services, span_count,
           error_count, last_received)
         VALUES (@traceId, @start, @end, @rootName, @rootService, @services, @spanCount, @errorCount,
           @lastReceived)`,
      ),
      deleteTrace: db.prepare('DELETE FROM traces WHERE trace_id = ?'),
      traceExists: db.prepare('SELECT 1 FROM traces WHERE trace_id = ?'),
    };
  }

  refreshIssue(id: number): void {
    const aggregate = this.statements.issueAggregate.get(id) as IssueAggregate;
    if (aggregate.count === 0) {
      this.statements.deleteIssue.run(id);
      return;
    }
    const latest = this.statements.latestIssueEvent.get(id) as LatestEvent;
    this.statements.updateIssue.run({ id, ...aggregate, ...latest });
  }

  refreshTrace(traceId: string): void {
    const spans = this.statements.spanAggregate.get(traceId) as SpanAggregate;
    const errors = this.statements.errorAggregate.get(traceId) as ErrorAggregate;
    if (spans.span_count === 0 && errors.error_count === 0) {
      this.statements.deleteTrace.run(traceId);
      return;
    }
    const root = (this.statements.root.get({ traceId }) ?? this.statements.firstError.get(traceId)) as
      | { description: string | null; service: string }
      | undefined;
    // Spans define the trace's extent; errors only do when no span of the trace arrived.
    const extent = spans.span_count > 0 ? [spans.start, spans.end] : [errors.first, errors.last];
    this.statements.upsertTrace.run({
      traceId,
      start: extent[0],
      end: extent[1],
      rootName: root?.description ?? null,
      rootService: root?.service ?? null,
      services: JSON.stringify(column(this.statements.services.all({ traceId }))),
      spanCount: spans.span_count,
      errorCount: errors.error_count,
      lastReceived: scalar(this.statements.lastReceived.get({ traceId })) ?? 0,
    });
  }

  issueExists(id: number): boolean {
    return this.statements.issueExists.get(id) !== undefined;
  }

  traceExists(traceId: string): boolean {
    return this.statements.traceExists.get(traceId) !== undefined;
  }
}
