import type pg from 'pg';
import type { Register } from '../register.ts';
import { hashId, type SessionUser } from '../sessions.queries.ts';

/** Server-side staff sessions on PostgreSQL (../sessions.queries.ts). Times are epoch ms (BIGINT). */
export function createPgSessionQueries(pool: pg.Pool): Register['sessions'] {
  return {
    async create(s) {
      const t = Date.now();
      await pool.query(
        `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [hashId(s.id), s.userId, s.csrfToken, t, t, s.expiresAt, s.ip, s.userAgent?.slice(0, 300) ?? null],
      );
    },
    async find(id, at = Date.now()) {
      // Quoted aliases: PostgreSQL folds unquoted names to lower case.
      const { rows } = await pool.query<SessionUser>(
        `SELECT s.user_id AS "userId", u.username::text AS username, u.display_name AS "displayName", u.role,
           s.csrf_token AS "csrfToken", s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt"
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
        [hashId(id), at],
      );
      return rows[0] ?? null;
    },
    async touch(id, expiresAt) {
      await pool.query('UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3', [
        Date.now(),
        expiresAt,
        hashId(id),
      ]);
    },
    async delete(id) {
      await pool.query('DELETE FROM sessions WHERE id_hash = $1', [hashId(id)]);
    },
    async deleteForUser(userId) {
      return (await pool.query('DELETE FROM sessions WHERE user_id = $1', [userId])).rowCount ?? 0;
    },
    async countForUser(userId) {
      const { rows } = await pool.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM sessions WHERE user_id = $1',
        [userId],
      );
      return rows[0]?.n ?? 0;
    },
    async purgeExpired(at = Date.now()) {
      return (await pool.query('DELETE FROM sessions WHERE expires_at <= $1', [at])).rowCount ?? 0;
    },
  };
}
