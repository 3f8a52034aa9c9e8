/**
 * One search box for everything: `trace:<id>`, `user:<who>`, `release:<version>`, `issue:<id>`, an event or
 * trace id on its own, or free text (matched against users, releases, issue titles and trace names).
 */
import type { EventListEntry, IssueSummary, TraceSummary } from '../api-types';
import type { SqliteDatabase } from './database';
import { EVENT_COLUMNS, type EventRow, eventListEntry } from './event-views';
import type { IssueQueries } from './issue-queries';
import type { TraceQueries } from './trace-queries';

export interface SearchResult {
  query: string;
  /** How the query was read. */
  kind: 'trace' | 'event' | 'user' | 'release' | 'issue' | 'text';
  issues: IssueSummary[];
  traces: TraceSummary[];
  events: EventListEntry[];
}

const HEX_ID = /^[0-9a-f]{32}$/;
const PREFIXED = /^(trace|user|release|issue):\s*(.+)$/i;

export class Search {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly issues: IssueQueries,
    private readonly traces: TraceQueries,
  ) {}

  run(input: string, limit = 50): SearchResult {
    const query = input.trim();
    const prefixed = PREFIXED.exec(query);
    const empty = { query, issues: [], traces: [], events: [] };
    if (!query) return { ...empty, kind: 'text' };
    if (prefixed) {
      const [, key, value] = prefixed;
      const kind = key!.toLowerCase() as SearchResult['kind'];
      if (kind === 'trace') return { ...this.byTraceId(value!.trim(), limit), query };
      if (kind === 'issue') {
        const issue = this.issues.summary(Number(value));
        return { ...empty, kind, issues: issue ? [issue] : [] };
      }
      return { ...empty, kind, ...this.byUserOrRelease(kind as 'user' | 'release', value!.trim(), limit) };
    }
    const id = query.replaceAll('-', '').toLowerCase();
    if (HEX_ID.test(id)) {
      const event = this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ?`).get(id) as
        | EventRow
        | undefined;
      if (event) {
        const issue = event.issue_id === null ? undefined : this.issues.summary(event.issue_id);
        const trace = event.trace_id ? this.traces.summary(event.trace_id) : undefined;
        return {
          ...empty,
          kind: 'event',
          events: [eventListEntry(event)],
          issues: issue ? [issue] : [],
          traces: trace ? [trace] : [],
        };
      }
      return { ...this.byTraceId(id, limit), query };
    }
    const users = this.byUserOrRelease('user', query, limit);
    const releases = this.byUserOrRelease('release', query, limit);
    const text = this.issues.list({ query, limit }).issues;
    return {
      ...empty,
      kind: 'text',
      issues: unique([...users.issues, ...releases.issues, ...text], (issue) => issue.id).slice(0, limit),
      traces: unique(
        [...users.traces, ...releases.traces, ...this.traces.list({ query, limit }).traces],
        (trace) => trace.traceId,
      ).slice(0, limit),
    };
  }

  private byTraceId(traceId: string, limit: number): SearchResult {
    const id = traceId.replaceAll('-', '').toLowerCase();
    const trace = this.traces.summary(id);
    const events = this.db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE trace_id = ? ORDER BY timestamp LIMIT ?`)
      .all(id, limit) as EventRow[];
    const issueIds = [
      ...new Set(events.flatMap((event) => (event.issue_id === null ? [] : [event.issue_id]))),
    ];
    return {
      query: traceId,
      kind: 'trace',
      traces: trace ? [trace] : [],
      issues: issueIds.flatMap((issueId) => this.issues.summary(issueId) ?? []),
      events: events.map(eventListEntry),
    };
  }

  private byUserOrRelease(kind: 'user' | 'release', value: string, limit: number) {
    return {
      issues: this.issues.list({ [kind]: value, limit }).issues,
      traces: this.traces.list({ [kind]: value, limit }).traces,
    };
  }
}

function unique<T>(items: T[], key: (item: T) => unknown): T[] {
  const seen = new Set<unknown>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}
