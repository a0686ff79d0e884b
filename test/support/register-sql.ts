import { type Db, openRegister } from '../../core/register/open-register.ts';

/**
 * A second connection to a test's SQLite register file, for what the register's interface has no
 * reason to offer: looking at stored rows as they are (hashes, query plans) or setting up a state
 * that is hard to reach otherwise. Closed when `fn` returns.
 */
export function withRegisterSql<T>(file: string, fn: (db: Db) => T): T {
  const db = openRegister(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
