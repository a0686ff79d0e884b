import type pg from 'pg';
import { PG_MIGRATIONS } from './migrations.ts';

/**
 * Session advisory lock held while migrating: machines starting together queue on it, and each
 * then sees what the one before applied. Any fixed number works as long as nothing else in the
 * database uses it; this one spells "PINDAI" in ASCII.
 */
const MIGRATION_LOCK = 0x50494e444149;

export interface MigrateOptions {
  /** Stop after this step (tests of a data step); default: every step. */
  to?: number;
}

/**
 * Bring a PostgreSQL register up to date: each missing step in its own transaction (PostgreSQL's
 * DDL is transactional: a step that fails leaves nothing behind), recorded in schema_migrations.
 * Returns the steps this call applied (none when another process got there first).
 */
export async function migratePg(pool: pg.Pool, opts: MigrateOptions = {}): Promise<number[]> {
  const target = opts.to ?? PG_MIGRATIONS.length;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      return await applyMissing(client, target);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } catch (err) {
    // The connection may be in a failed state (or hold the lock): close it rather than reuse it.
    broken = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.release(broken);
  }
}

async function applyMissing(client: pg.PoolClient, target: number): Promise<number[]> {
  await client.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version INTEGER PRIMARY KEY,
       applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
     )`,
  );
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  const done = new Set(rows.map((r) => r.version));
  const newest = Math.max(0, ...done);
  if (newest > PG_MIGRATIONS.length) {
    throw new Error(
      `Register has schema version ${newest}, newer than this Pindai (${PG_MIGRATIONS.length}). Upgrade Pindai.`,
    );
  }
  const applied: number[] = [];
  for (let v = 1; v <= target; v++) {
    if (done.has(v)) continue;
    await client.query('BEGIN');
    try {
      await client.query(PG_MIGRATIONS[v - 1] as string);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw new Error(`register migration ${v} failed: ${(err as Error).message}`, { cause: err });
    }
    applied.push(v);
  }
  return applied;
}

/** The newest step applied (0 for an empty database). */
export async function pgSchemaVersion(pool: Pick<pg.Pool, 'query'>): Promise<number> {
  const exists = await pool.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations') AS t`);
  if (!exists.rows[0]?.t) return 0;
  const { rows } = await pool.query<{ v: number }>(
    'SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations',
  );
  return rows[0]?.v ?? 0;
}
