/**
 * The SQLite schema. Events are the source of truth; `issues` and `traces` are summaries recomputed from
 * them inside the same write transaction, so pruning or a failed write can never leave them inconsistent.
 */

/** Bumped on any change: a database of another version is dev data and is simply rebuilt. */
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  project TEXT NOT NULL,
  kind TEXT NOT NULL,
  issue_id INTEGER REFERENCES issues(id),
  trace_id TEXT,
  span_id TEXT,
  timestamp REAL NOT NULL,
  received REAL NOT NULL,
  release TEXT,
  environment TEXT,
  service TEXT NOT NULL,
  level TEXT,
  platform TEXT,
  title TEXT NOT NULL,
  culprit TEXT,
  transaction_name TEXT,
  user_key TEXT,
  user_id TEXT,
  user_email TEXT,
  user_username TEXT,
  user_ip TEXT,
  payload TEXT NOT NULL
);
CREATE INDEX events_issue ON events(issue_id, timestamp);
CREATE INDEX events_trace ON events(trace_id);
CREATE INDEX events_received ON events(received);
CREATE INDEX events_release ON events(release);
CREATE INDEX events_user_key ON events(user_key);

CREATE TABLE issues (
  id INTEGER PRIMARY KEY,
  project TEXT NOT NULL,
  hash TEXT NOT NULL,
  grouping TEXT NOT NULL,
  title TEXT NOT NULL,
  culprit TEXT,
  type TEXT,
  value TEXT,
  level TEXT,
  count INTEGER NOT NULL DEFAULT 0,
  user_count INTEGER NOT NULL DEFAULT 0,
  first_seen REAL,
  last_seen REAL,
  last_event_id TEXT,
  UNIQUE (project, hash)
);
CREATE INDEX issues_last_seen ON issues(last_seen);

CREATE TABLE spans (
  event_row INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  trace_id TEXT NOT NULL,
  span_id TEXT NOT NULL,
  parent_span_id TEXT,
  service TEXT NOT NULL,
  op TEXT,
  description TEXT,
  status TEXT,
  start REAL NOT NULL,
  end REAL NOT NULL,
  is_segment INTEGER NOT NULL,
  data TEXT,
  PRIMARY KEY (trace_id, span_id)
);
CREATE INDEX spans_event_row ON spans(event_row);

CREATE TABLE traces (
  trace_id TEXT PRIMARY KEY,
  start REAL NOT NULL,
  end REAL NOT NULL,
  root_name TEXT,
  root_service TEXT,
  services TEXT NOT NULL,
  span_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  last_received REAL NOT NULL
);
CREATE INDEX traces_last_received ON traces(last_received);
`;
