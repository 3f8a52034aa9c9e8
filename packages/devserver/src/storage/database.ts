/** Opens (or creates) the SQLite file with the settings the dev server relies on. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SCHEMA, SCHEMA_VERSION } from './schema';
import { openSqlite, type SqliteDatabase, scalar } from './sqlite-driver';

export type { SqliteDatabase } from './sqlite-driver';

export function openDatabase(path: string): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = openSqlite(path);
  if (pragma(db, 'user_version') !== SCHEMA_VERSION) rebuild(db);
  db.exec(`PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA foreign_keys = ON;
    PRAGMA busy_timeout = 5000;
    PRAGMA journal_size_limit = ${64 * 1024 * 1024};`);
  return db;
}

/** Reads one pragma's value. */
export function pragma(db: SqliteDatabase, name: string): unknown {
  return scalar(db.prepare(`PRAGMA ${name}`).get());
}

function rebuild(db: SqliteDatabase): void {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .all() as Array<{ name: string }>;
  db.exec('PRAGMA foreign_keys = OFF');
  for (const { name } of tables) db.exec(`DROP TABLE "${name}"`);
  // auto_vacuum must be chosen before the first table exists; incremental lets pruning give space back.
  db.exec('PRAGMA auto_vacuum = INCREMENTAL');
  db.exec('VACUUM');
  db.exec(SCHEMA);
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
}
