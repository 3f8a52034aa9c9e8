import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/database';
import { column, openSqlite, scalar } from '../src/storage/sqlite-driver';

describe('SQLite driver', () => {
  it('uses better-sqlite3 where its addon was built for this Node, node:sqlite elsewhere', () => {
    const db = openSqlite(':memory:');
    try {
      // The addon in this repository is compiled on the machine's Node 20 (ABI 115).
      expect(db.driver).toBe(process.versions.modules === '115' ? 'better-sqlite3' : 'node:sqlite');
    } finally {
      db.close();
    }
  });

  it('commits a transaction that returns and rolls back one that throws', () => {
    const db = openSqlite(':memory:');
    try {
      db.exec('CREATE TABLE t (v INTEGER)');
      expect(db.transaction(() => db.prepare('INSERT INTO t VALUES (?)').run(1).changes)).toBe(1);
      expect(() =>
        db.transaction(() => {
          db.prepare('INSERT INTO t VALUES (@v)').run({ v: 2 });
          throw new Error('abort');
        }),
      ).toThrow('abort');
      expect(column(db.prepare('SELECT v FROM t').all())).toEqual([1]);
      expect(scalar(db.prepare('SELECT COUNT(*) FROM t').get())).toBe(1);
      expect(scalar(db.prepare('SELECT v FROM t WHERE v = 99').get())).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('opens databases in WAL mode with incremental vacuum', () => {
    const db = openDatabase(':memory:');
    try {
      expect(scalar(db.prepare('PRAGMA auto_vacuum').get())).toBe(2);
      expect(scalar(db.prepare('PRAGMA foreign_keys').get())).toBe(1);
    } finally {
      db.close();
    }
  });
});
