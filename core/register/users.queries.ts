import type { Db } from './open-register.ts';

export const ROLES = ['admin', 'staf', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  disabledAt: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled_at: string | null;
  last_login_at: string | null;
  created_at: string;
}

export const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  passwordHash: r.password_hash,
  disabledAt: r.disabled_at,
  lastLoginAt: r.last_login_at,
  createdAt: r.created_at,
});

const now = () => new Date().toISOString();

/** Staff accounts. Passwords arrive already hashed (argon2id); this module never sees one. */
export function createUserQueries(db: Db) {
  return {
    get(id: number): User | null {
      const r = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
      return r ? toUser(r) : null;
    },
    byUsername(username: string): User | null {
      const r = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?').get(username);
      return r ? toUser(r) : null;
    },
    list(): User[] {
      return db.prepare<[], UserRow>('SELECT * FROM users ORDER BY username').all().map(toUser);
    },
    count(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
    },
    /** Throws SQLITE_CONSTRAINT_UNIQUE when the name is taken (case-insensitive). */
    insert(u: { username: string; displayName: string; role: Role; passwordHash: string }): User {
      const t = now();
      const r = db
        .prepare(
          `INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(u.username, u.displayName, u.role, u.passwordHash, t, t);
      return this.get(Number(r.lastInsertRowid)) as User;
    },
    setPassword(id: number, passwordHash: string): void {
      db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(
        passwordHash,
        now(),
        id,
      );
    },
    setRole(id: number, role: Role): void {
      db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE id = ?').run(role, now(), id);
    },
    setDisabled(id: number, disabled: boolean): void {
      db.prepare('UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?').run(
        disabled ? now() : null,
        now(),
        id,
      );
    },
    touchLogin(id: number): void {
      db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(now(), id);
    },
  };
}

export type UserQueries = ReturnType<typeof createUserQueries>;
