import { createHash } from 'node:crypto';
import type { Db } from './open-register.ts';
import type { Role } from './users.queries.ts';

/** Only a SHA-256 of the session id is stored: a copy of the register lets no one log in. */
export const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

export interface SessionUser {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

/** Server-side staff sessions. Times are epoch milliseconds. */
export function createSessionQueries(db: Db) {
  return {
    create(s: {
      id: string;
      userId: number;
      csrfToken: string;
      expiresAt: number;
      ip: string | null;
      userAgent: string | null;
    }): void {
      const t = Date.now();
      db.prepare(
        `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(hashId(s.id), s.userId, s.csrfToken, t, t, s.expiresAt, s.ip, s.userAgent?.slice(0, 300) ?? null);
    },
    /** The live session's user; null when unknown, expired or the account is disabled. */
    find(id: string, at = Date.now()): SessionUser | null {
      const r = db
        .prepare(
          `SELECT s.user_id AS userId, u.username, u.display_name AS displayName, u.role, s.csrf_token AS csrfToken,
             s.created_at AS createdAt, s.last_seen_at AS lastSeenAt
           FROM sessions s JOIN users u ON u.id = s.user_id
           WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`,
        )
        .get(hashId(id), at) as SessionUser | undefined;
      return r ?? null;
    },
    touch(id: string, expiresAt: number): void {
      db.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?').run(
        Date.now(),
        expiresAt,
        hashId(id),
      );
    },
    delete(id: string): void {
      db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashId(id));
    },
    /** End every session of a user (logout everywhere, disabled account, password change). */
    deleteForUser(userId: number): number {
      return db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
    },
    countForUser(userId: number): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?').get(userId) as { n: number })
        .n;
    },
    purgeExpired(at = Date.now()): number {
      return db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(at).changes;
    },
  };
}

export type SessionQueries = ReturnType<typeof createSessionQueries>;
