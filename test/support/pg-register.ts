import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { type Db, openRegister } from '../../core/register/open-register.ts';
import { migratePg } from '../../core/register/pg/migrate.ts';
import { createPgPool } from '../../core/register/pg/pool.ts';
import { startPostgres, type TestPostgres } from './postgres.ts';
import { tempDir } from './temp-dir.ts';

/**
 * One throwaway PostgreSQL server for a spec file (call inside `describePostgres`): `fresh()` is
 * an empty, migrated register database on it, with a pool of its own; all are closed after the file.
 */
export function pgRegisters(): {
  fresh(): Promise<pg.Pool>;
  /** Another pool on the database of `pool`, its sessions started with `options` (`-c name=value`). */
  sibling(pool: pg.Pool, options?: string): pg.Pool;
} {
  let server: TestPostgres | undefined;
  const pools: pg.Pool[] = [];
  const urls = new Map<pg.Pool, string>();
  let n = 0;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await server?.stop();
  });
  return {
    async fresh() {
      if (!server) throw new Error('PostgreSQL server not started');
      const url = await server.createDatabase(`register_${++n}`);
      const pool = createPgPool(url, { max: 4 });
      pools.push(pool);
      urls.set(pool, url);
      await migratePg(pool);
      return pool;
    },
    sibling(pool, options) {
      const url = urls.get(pool);
      if (!url) throw new Error('not a pool made by fresh()');
      const other = createPgPool(options ? `${url}?options=${encodeURIComponent(options)}` : url, { max: 4 });
      pools.push(other);
      return other;
    },
  };
}

/** An empty SQLite register file's handle: the reference a PostgreSQL group is compared with. */
export function sqliteRegisterDb(): Db {
  const db = openRegister(path.join(tempDir('pindai-pg-twin-'), 'register.sqlite'));
  afterAll(() => db.close());
  return db;
}

type Value = string | number | null | boolean | object;

const literal = (v: Value): string => {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return `'${s.replaceAll("'", "''")}'`;
};

/**
 * INSERT statements with literal values, which SQLite and PostgreSQL read alike (an object is its
 * JSON text, which PostgreSQL casts to JSONB): one data set written identically into both engines.
 */
export function insertSql(table: string, rows: Record<string, Value>[]): string {
  return rows
    .map((r) => {
      const cols = Object.keys(r);
      return `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => literal(r[c] as Value)).join(', ')});`;
    })
    .join('\n');
}

/** Run the same SQL on a SQLite register and a PostgreSQL one. */
export async function onBoth(db: Db, pool: pg.Pool, sql: string): Promise<void> {
  db.exec(sql);
  await pool.query(sql);
}

let seq = 0;
/** An items row with every NOT NULL column filled; `over` sets the rest. */
export function itemRow(over: Record<string, Value> = {}): Record<string, Value> {
  seq++;
  return {
    id: `item-${seq}`,
    title: `Buku ${seq}`,
    metadata: {},
    flags: [],
    fingerprint: `fp-${seq}`,
    source_path: `/in/${seq}`,
    source_name: `batch-${seq}`,
    intake: 'ingest',
    status: 'received',
    created_at: '2026-05-01T08:00:00.000Z',
    updated_at: '2026-05-01T08:00:00.000Z',
    ...over,
  };
}
