import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { type Db, openRegister } from '../../core/register/open-register.ts';
import { migratePg } from '../../core/register/pg/migrate.ts';
import { createPgPool } from '../../core/register/pg/pool.ts';
import { startPostgres, type TestPostgres } from './postgres.ts';
import { tempDir } from './temp-dir.ts';

/**
 * One throwaway PostgreSQL server for a spec file (started in beforeAll, stopped in afterAll),
 * and `fresh(count)`: a new migrated, empty register database with `count` pools on it, each
 * pool standing for one machine. Call inside `describePostgres`.
 */
export function usePgRegisters(prefix: string): {
  fresh(count?: number, max?: number, opts?: { ctype?: string }): Promise<pg.Pool[]>;
  /** Another pool on the database of `pool` (made by fresh), its sessions started with `options` (`-c name=value`). */
  sibling(pool: pg.Pool, options: string): pg.Pool;
} {
  let server: TestPostgres | undefined;
  const pools: pg.Pool[] = [];
  const urls = new Map<pg.Pool, string>();
  let n = 0;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
    await server?.stop();
  });
  return {
    /** `ctype`: the database's LC_CTYPE (what lower(), ILIKE and upper() fold), instead of C. */
    async fresh(count = 1, max = 4, opts = {}) {
      if (!server) throw new Error('the test server did not start');
      const name = `${prefix}_${++n}`;
      const url = opts.ctype
        ? await createWithCtype(server, name, opts.ctype)
        : await server.createDatabase(name);
      const made = Array.from({ length: count }, () => createPgPool(url, { max }));
      pools.push(...made);
      for (const p of made) urls.set(p, url);
      await migratePg(made[0] as pg.Pool);
      return made;
    },
    sibling(pool, options) {
      const url = urls.get(pool);
      if (!url) throw new Error('not a pool made by fresh()');
      const other = createPgPool(`${url}?options=${encodeURIComponent(options)}`, { max: 4 });
      pools.push(other);
      return other;
    },
  };
}

async function createWithCtype(server: TestPostgres, name: string, ctype: string): Promise<string> {
  const url = new URL(server.url);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.href });
  await admin.connect();
  try {
    await admin.query(
      `CREATE DATABASE ${name} TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE ${pg.escapeLiteral(ctype)}`,
    );
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return url.href;
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
