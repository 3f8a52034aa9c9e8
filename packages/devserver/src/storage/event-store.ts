/**
 * Writes: every ingest is one transaction that inserts the records, prunes to the retention limits and
 * recomputes the issue and trace summaries it touched. Readers never see half an envelope.
 */
import type { EventRecord } from '../event-record';
import { pragma, type SqliteDatabase } from './database';
import type { RetentionOptions } from './retention';
import { column, scalar } from './sqlite-driver';
import { SummaryRefresher } from './summary-refresher';

export interface StoreChanges {
  events: Array<{ eventId: string; kind: EventRecord['kind']; issueId?: number; traceId?: string }>;
  /** Issues that got an event; `isNew` when this ingest created them. */
  issues: Array<{ id: number; isNew: boolean }>;
  traces: string[];
  pruned: number;
}

interface PrunableRow {
  id: number;
  issue_id: number | null;
}

/** Deleting more than this at once would stall ingestion; the rest goes on the next write. */
const MAX_SIZE_PRUNE_ROUNDS = 8;

export class EventStore {
  private readonly summaries: SummaryRefresher;
  private readonly statements;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly retention: RetentionOptions,
  ) {
    this.summaries = new SummaryRefresher(db);
    this.statements = {
      eventExists: db.prepare('SELECT 1 FROM events WHERE event_id = ?'),
      createIssue: db.prepare(
        `INSERT INTO issues (project, hash, grouping, title, culprit, type, value, level)
         VALUES (@project, @hash, @grouping, @title, @culprit, @type, @value, @level)
         ON CONFLICT (project, hash) DO NOTHING`,
      ),
      issueId: db.prepare('SELECT id FROM issues WHERE project = ? AND hash = ?'),
      insertEvent: db.prepare(
        `INSERT INTO events (event_id, project, kind, issue_id, trace_id, span_id, timestamp, received, release,
           environment, service, level, platform, title, culprit, transaction_name, user_key, user_id, user_email,
           user_username, user_ip, payload)
         VALUES (@eventId, @project, @kind, @issueId, @traceId, @spanId, @timestamp, @received, @release,
           @environment, @service, @level, @platform, @title, @culprit, @transaction, @userKey, @userId, @userEmail,
           @userUsername, @userIp, @payload)`,
      ),
      insertSpan: db.prepare(
        `INSERT OR REPLACE INTO spans (event_row, trace_id, span_id, parent_span_id, service, op, description,
           status, start, end, is_segment, data)
         VALUES (@eventRow, @traceId, @spanId, @parentSpanId, @service, @op, @description, @status, @start, @end,
           @isSegment, @data)`,
      ),
      olderThan: db.prepare('SELECT id, issue_id FROM events WHERE received < ?'),
      eventCount: db.prepare('SELECT COUNT(*) FROM events'),
      oldest: db.prepare('SELECT id, issue_id FROM events ORDER BY received, id LIMIT ?'),
      traceIdsOf: db.prepare(
        `SELECT trace_id FROM events WHERE id IN (SELECT value FROM json_each(@ids)) AND trace_id IS NOT NULL
         UNION SELECT trace_id FROM spans WHERE event_row IN (SELECT value FROM json_each(@ids))`,
      ),
      deleteEvents: db.prepare('DELETE FROM events WHERE id IN (SELECT value FROM json_each(?))'),
    };
  }

  insert(records: EventRecord[], now = Date.now()): StoreChanges {
    const changes = this.db.transaction(() => this.insertAll(records, now));
    if (changes.pruned > 0) this.db.exec('PRAGMA incremental_vacuum');
    return changes;
  }

  /** Applies the retention limits without new data (the server also runs this on a timer). */
  prune(now = Date.now()): number {
    const touched = { issues: new Set<number>(), traces: new Set<string>() };
    const pruned = this.db.transaction(() => {
      const count = this.pruneInto(touched, now);
      this.refresh(touched);
      return count;
    });
    if (pruned > 0) this.db.exec('PRAGMA incremental_vacuum');
    return pruned;
  }

  clear(): void {
    this.db.transaction(() => {
      for (const table of ['spans', 'events', 'issues', 'traces']) this.db.exec(`DELETE FROM ${table}`);
    });
    this.db.exec('PRAGMA incremental_vacuum');
  }

  private insertAll(records: EventRecord[], now: number): StoreChanges {
    const touched = { issues: new Set<number>(), traces: new Set<string>() };
    const newIssues = new Set<number>();
    const events: StoreChanges['events'] = [];
    for (const record of records) {
      if (this.statements.eventExists.get(record.eventId) !== undefined) continue;
      const issueId = record.issue ? this.issueFor(record, newIssues) : undefined;
      const { lastInsertRowid } = this.statements.insertEvent.run(eventRow(record, issueId));
      for (const span of record.spans) {
        this.statements.insertSpan.run({
          eventRow: lastInsertRowid,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? null,
          service: span.service,
          op: span.op ?? null,
          description: span.description ?? null,
          status: span.status ?? null,
          start: span.start,
          end: span.end,
          isSegment: span.isSegment ? 1 : 0,
          data: span.data ? JSON.stringify(span.data) : null,
        });
        touched.traces.add(span.traceId);
      }
      if (issueId !== undefined) touched.issues.add(issueId);
      if (record.traceId) touched.traces.add(record.traceId);
      events.push({ eventId: record.eventId, kind: record.kind, issueId, traceId: record.traceId });
    }
    const updatedIssues = [...touched.issues];
    const updatedTraces = [...touched.traces];
    const pruned = this.pruneInto(touched, now);
    this.refresh(touched);
    const liveIssues = updatedIssues.filter((id) => this.summaries.issueExists(id));
    const liveTraces = updatedTraces.filter((id) => this.summaries.traceExists(id));
    return {
      events,
      issues: liveIssues.map((id) => ({ id, isNew: newIssues.has(id) })),
      traces: liveTraces,
      pruned,
    };
  }

  private issueFor(record: EventRecord, newIssues: Set<number>): number {
    const issue = record.issue!;
    const created = this.statements.createIssue.run({
      project: record.project,
      hash: issue.hash,
      grouping: JSON.stringify(issue.components),
      title: record.title,
      culprit: record.culprit ?? null,
      type: issue.type ?? null,
      value: issue.value ?? null,
      level: record.level ?? null,
    });
    const id = scalar(this.statements.issueId.get(record.project, issue.hash)) as number;
    if (created.changes > 0) newIssues.add(id);
    return id;
  }

  private pruneInto(touched: { issues: Set<number>; traces: Set<string> }, now: number): number {
    let pruned = this.deleteRows(
      this.statements.olderThan.all((now - this.retention.maxAgeMs) / 1000),
      touched,
    );
    const excess = (scalar(this.statements.eventCount.get()) as number) - this.retention.maxEvents;
    if (excess > 0) pruned += this.deleteRows(this.statements.oldest.all(excess), touched);
    for (
      let round = 0;
      round < MAX_SIZE_PRUNE_ROUNDS && this.liveBytes() > this.retention.maxDbBytes;
      round++
    ) {
      const count = scalar(this.statements.eventCount.get()) as number;
      if (count === 0) break;
      pruned += this.deleteRows(this.statements.oldest.all(Math.max(1, Math.ceil(count / 10))), touched);
    }
    return pruned;
  }

  private deleteRows(rows: unknown[], touched: { issues: Set<number>; traces: Set<string> }): number {
    if (rows.length === 0) return 0;
    const prunable = rows as PrunableRow[];
    const ids = JSON.stringify(prunable.map((row) => row.id));
    for (const traceId of column(this.statements.traceIdsOf.all({ ids })) as string[])
      touched.traces.add(traceId);
    for (const row of prunable) if (row.issue_id !== null) touched.issues.add(row.issue_id);
    this.statements.deleteEvents.run(ids);
    return prunable.length;
  }

  /** Pages in use: the file minus the free pages SQLite will reuse. */
  private liveBytes(): number {
    const pages = (pragma(this.db, 'page_count') as number) - (pragma(this.db, 'freelist_count') as number);
    return pages * (pragma(this.db, 'page_size') as number);
  }

  private refresh(touched: { issues: Set<number>; traces: Set<string> }): void {
    for (const id of touched.issues) this.summaries.refreshIssue(id);
    for (const traceId of touched.traces) this.summaries.refreshTrace(traceId);
  }
}

function eventRow(record: EventRecord, issueId: number | undefined) {
  return {
    eventId: record.eventId,
    project: record.project,
    kind: record.kind,
    issueId: issueId ?? null,
    traceId: record.traceId ?? null,
    spanId: record.spanId ?? null,
    timestamp: record.timestamp,
    received: record.received,
    release: record.release ?? null,
    environment: record.environment ?? null,
    service: record.service,
    level: record.level ?? null,
    platform: record.platform ?? null,
    title: record.title,
    culprit: record.culprit ?? null,
    transaction: record.transaction ?? null,
    userKey: record.user?.key ?? null,
    userId: record.user?.id ?? null,
    userEmail: record.user?.email ?? null,
    userUsername: record.user?.username ?? null,
    userIp: record.user?.ipAddress ?? null,
    payload: record.payload,
  };
}
