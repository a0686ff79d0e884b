import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

/**
 * Open (and create or migrate) the register. WAL lets the web server read while workers write;
 * busy_timeout makes concurrent processes wait for the write lock instead of failing.
 */
export function openRegister(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `Register ${db.name} has schema version ${current}, newer than this Pindai (${MIGRATIONS.length}). Upgrade Pindai.`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    // BEGIN IMMEDIATE: two processes starting together must not both migrate.
    db.transaction(() => {
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now !== v) return;
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/**
 * Run `fn` in one IMMEDIATE transaction (the write lock taken at BEGIN, so two processes cannot
 * both read-then-write). Private to core/register: callers get whole operations, never a transaction.
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
