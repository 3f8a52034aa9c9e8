/**
 * The few SQLite operations storage needs, over better-sqlite3 or, where its native addon cannot load (it is
 * compiled for one Node ABI, and prebuilt binaries cannot be downloaded everywhere), Node's built-in
 * `node:sqlite` (Node 22.13+). Both run synchronously on the same file format.
 */
import BetterSqlite3 from 'better-sqlite3';

export type SqlParameters = unknown[];

export interface SqlStatement {
  run(...parameters: SqlParameters): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...parameters: SqlParameters): unknown;
  all(...parameters: SqlParameters): unknown[];
}

export interface SqliteDatabase {
  readonly driver: 'better-sqlite3' | 'node:sqlite';
  prepare(sql: string): SqlStatement;
  exec(sql: string): void;
  /** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

interface NodeSqliteModule {
  DatabaseSync: new (
    path: string,
  ) => {
    prepare(sql: string): SqlStatement;
    exec(sql: string): void;
    close(): void;
    isOpen?: boolean;
  };
}

export function openSqlite(path: string): SqliteDatabase {
  try {
    return betterSqlite(new BetterSqlite3(path));
  } catch (error) {
    const builtin = process.getBuiltinModule?.('node:sqlite') as NodeSqliteModule | undefined;
    if (!builtin) throw error;
    return nodeSqlite(new builtin.DatabaseSync(path));
  }
}

/** The first column of the first row, the way a `SELECT COUNT(*)` or a `PRAGMA x` answers. */
export function scalar(row: unknown): unknown {
  return row === undefined ? undefined : Object.values(row as object)[0];
}

export function column(rows: unknown[]): unknown[] {
  return rows.map(scalar);
}

function betterSqlite(db: BetterSqlite3.Database): SqliteDatabase {
  return {
    driver: 'better-sqlite3',
    prepare: (sql) => db.prepare(sql) as SqlStatement,
    exec: (sql) => {
      db.exec(sql);
    },
    transaction: (fn) => db.transaction(fn)(),
    close: () => {
      if (db.open) db.close();
    },
  };
}

function nodeSqlite(db: InstanceType<NodeSqliteModule['DatabaseSync']>): SqliteDatabase {
  let open = true;
  return {
    driver: 'node:sqlite',
    prepare: (sql) => db.prepare(sql),
    exec: (sql) => db.exec(sql),
    transaction: (fn) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = fn();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    close: () => {
      if (open) db.close();
      open = false;
    },
  };
}
