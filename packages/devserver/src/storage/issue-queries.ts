/** Reads for issues: the filtered list, one issue with its latest event, and its events. */
import type { EventDetail, EventListEntry, IssueDetail, IssueSummary } from '../api-types';
import type { SqliteDatabase } from './database';
import { EVENT_COLUMNS, type EventRow, eventDetail, eventListEntry, isoTime } from './event-views';
import { scalar } from './sqlite-driver';

export type IssueSort = 'last_seen' | 'first_seen' | 'count' | 'users';

export interface IssueFilter {
  /** Text in the title, culprit, type or value; or an issue id. */
  query?: string;
  release?: string;
  environment?: string;
  /** A user id, email, username or IP address. */
  user?: string;
  project?: string;
  sort?: IssueSort;
  limit?: number;
  offset?: number;
}

interface IssueRow {
  id: number;
  project: string;
  title: string;
  culprit: string | null;
  type: string | null;
  value: string | null;
  level: string | null;
  count: number;
  user_count: number;
  first_seen: number;
  last_seen: number;
  last_event_id: string;
  grouping: string;
  releases: string;
  environments: string;
  services: string;
}

const ORDER: Record<IssueSort, string> = {
  last_seen: 'last_seen DESC',
  first_seen: 'first_seen DESC',
  count: 'count DESC, last_seen DESC',
  users: 'user_count DESC, last_seen DESC',
};

const ISSUE_COLUMNS = `issues.*,
  (SELECT json_group_array(DISTINCT release) FROM events WHERE issue_id = issues.id AND release IS NOT NULL) AS releases,
  (SELECT json_group_array(DISTINCT environment) FROM events
     WHERE issue_id = issues.id AND environment IS NOT NULL) AS environments,
  (SELECT json_group_array(DISTINCT service) FROM events WHERE issue_id = issues.id) AS services`;

export const USER_MATCH =
  '(user_key = @user OR user_id = @user OR user_email = @user OR user_username = @user OR user_ip = @user)';

export class IssueQueries {
  constructor(private readonly db: SqliteDatabase) {}

  list(filter: IssueFilter = {}): { issues: IssueSummary[]; total: number } {
    const conditions: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.query) {
      conditions.push(
        `(title LIKE @like ESCAPE '\\' OR culprit LIKE @like ESCAPE '\\' OR type LIKE @like ESCAPE '\\'
          OR value LIKE @like ESCAPE '\\' OR CAST(id AS TEXT) = @query)`,
      );
      params.like = `%${filter.query.replace(/[\\%_]/g, '\\$&')}%`;
      params.query = filter.query;
    }
    if (filter.project) {
      conditions.push('project = @project');
      params.project = filter.project;
    }
    for (const column of ['release', 'environment'] as const) {
      if (!filter[column]) continue;
      conditions.push(`EXISTS (SELECT 1 FROM events WHERE issue_id = issues.id AND ${column} = @${column})`);
      params[column] = filter[column];
    }
    if (filter.user) {
      conditions.push(`EXISTS (SELECT 1 FROM events WHERE issue_id = issues.id AND ${USER_MATCH})`);
      params.user = filter.user;
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const total = scalar(this.db.prepare(`SELECT COUNT(*) FROM issues ${where}`).get(params)) as number;
    const rows = this.db
      .prepare(
        `SELECT ${ISSUE_COLUMNS} FROM issues ${where} ORDER BY ${ORDER[filter.sort ?? 'last_seen']}
         LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: filter.limit ?? 100, offset: filter.offset ?? 0 }) as IssueRow[];
    return { issues: rows.map(issueSummary), total };
  }

  get(id: number): IssueDetail | undefined {
    const row = this.db.prepare(`SELECT ${ISSUE_COLUMNS} FROM issues WHERE id = ?`).get(id) as
      | IssueRow
      | undefined;
    if (!row) return undefined;
    const latest = this.db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ?`)
      .get(row.last_event_id) as EventRow;
    return {
      ...issueSummary(row),
      grouping: JSON.parse(row.grouping) as string[],
      latestEvent: eventDetail(latest),
    };
  }

  summary(id: number): IssueSummary | undefined {
    const row = this.db.prepare(`SELECT ${ISSUE_COLUMNS} FROM issues WHERE id = ?`).get(id) as
      | IssueRow
      | undefined;
    return row && issueSummary(row);
  }

  events(id: number, limit = 50, offset = 0): { events: EventListEntry[]; total: number } {
    const total = scalar(this.db.prepare('SELECT COUNT(*) FROM events WHERE issue_id = ?').get(id)) as number;
    const rows = this.db
      .prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE issue_id = ? ORDER BY timestamp DESC, id DESC LIMIT ? OFFSET ?`,
      )
      .all(id, limit, offset) as EventRow[];
    return { events: rows.map(eventListEntry), total };
  }

  event(eventId: string): EventDetail | undefined {
    const row = this.db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ?`)
      .get(eventId.replaceAll('-', '').toLowerCase()) as EventRow | undefined;
    return row && eventDetail(row);
  }
}

function issueSummary(row: IssueRow): IssueSummary {
  return {
    id: row.id,
    project: row.project,
    title: row.title,
    culprit: row.culprit,
    type: row.type,
    value: row.value,
    level: row.level,
    count: row.count,
    userCount: row.user_count,
    firstSeen: isoTime(row.first_seen),
    lastSeen: isoTime(row.last_seen),
    lastEventId: row.last_event_id,
    releases: JSON.parse(row.releases) as string[],
    environments: JSON.parse(row.environments) as string[],
    services: JSON.parse(row.services) as string[],
  };
}
