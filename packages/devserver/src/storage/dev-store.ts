/** The dev server's storage: one SQLite file, its writer, and the queries the API serves. */
import type { Stats } from '../api-types';
import { openDatabase, pragma, type SqliteDatabase } from './database';
import { EventStore } from './event-store';
import { IssueQueries } from './issue-queries';
import type { RetentionOptions } from './retention';
import { Search } from './search';
import { scalar } from './sqlite-driver';
import { TraceQueries } from './trace-queries';

export class DevStore {
  readonly writer: EventStore;
  readonly issues: IssueQueries;
  readonly traces: TraceQueries;
  readonly search: Search;

  private constructor(
    private readonly db: SqliteDatabase,
    retention: RetentionOptions,
  ) {
    this.writer = new EventStore(db, retention);
    this.issues = new IssueQueries(db);
    this.traces = new TraceQueries(db);
    this.search = new Search(db, this.issues, this.traces);
  }

  static open(path: string, retention: RetentionOptions): DevStore {
    return new DevStore(openDatabase(path), retention);
  }

  get driver(): SqliteDatabase['driver'] {
    return this.db.driver;
  }

  counts(): Omit<Stats, 'itemsReceived' | 'startedAt' | 'storage'> {
    const count = (sql: string) => scalar(this.db.prepare(sql).get()) as number;
    return {
      events: count('SELECT COUNT(*) FROM events'),
      errors: count(`SELECT COUNT(*) FROM events WHERE kind = 'error'`),
      transactions: count(`SELECT COUNT(*) FROM events WHERE kind = 'transaction'`),
      spanBatches: count(`SELECT COUNT(*) FROM events WHERE kind = 'spans'`),
      issues: count('SELECT COUNT(*) FROM issues'),
      traces: count('SELECT COUNT(*) FROM traces'),
      spans: count('SELECT COUNT(*) FROM spans'),
      databaseBytes: (pragma(this.db, 'page_count') as number) * (pragma(this.db, 'page_size') as number),
    };
  }

  close(): void {
    this.db.close();
  }
}
