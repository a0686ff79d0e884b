import type pg from 'pg';
import type { Register } from '../register.ts';
import { type Role, toUser, type User, type UserRow } from '../users.queries.ts';

const now = () => new Date().toISOString();

/**
 * Staff accounts on PostgreSQL (../users.queries.ts). `username` is CITEXT: unique and equal
 * regardless of case, as SQLite's COLLATE NOCASE. A taken name rejects with PostgreSQL's
 * unique_violation (code 23505) where SQLite throws SQLITE_CONSTRAINT_UNIQUE; callers check the
 * name first and treat either as an error.
 */
export function createPgUserQueries(pool: pg.Pool): Register['users'] {
  const one = async (sql: string, params: unknown[]): Promise<User | null> => {
    const r = (await pool.query<UserRow>(sql, params)).rows[0];
    return r ? toUser(r) : null;
  };
  return {
    get: (id) => one('SELECT * FROM users WHERE id = $1', [id]),
    byUsername: (username) => one('SELECT * FROM users WHERE username = $1', [username]),
    async list() {
      // NOCASE sorts by ASCII-lowered name; lower() under "C" folds ASCII only, whatever the
      // database's locale (CITEXT's own order would follow the locale).
      const { rows } = await pool.query<UserRow>(
        'SELECT * FROM users ORDER BY lower(username::text COLLATE "C")',
      );
      return rows.map(toUser);
    },
    async count() {
      return (await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM users')).rows[0]?.n ?? 0;
    },
    async insert(u) {
      const t = now();
      const r = await one(
        `INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [u.username, u.displayName, u.role, u.passwordHash, t, t],
      );
      return r as User;
    },
    async setPassword(id, passwordHash) {
      await pool.query('UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3', [
        passwordHash,
        now(),
        id,
      ]);
    },
    async setRole(id: number, role: Role) {
      await pool.query('UPDATE users SET role = $1, updated_at = $2 WHERE id = $3', [role, now(), id]);
    },
    async setDisabled(id, disabled) {
      const t = now();
      await pool.query('UPDATE users SET disabled_at = $1, updated_at = $2 WHERE id = $3', [
        disabled ? t : null,
        t,
        id,
      ]);
    },
    async touchLogin(id) {
      await pool.query('UPDATE users SET last_login_at = $1 WHERE id = $2', [now(), id]);
    },
  };
}
