import Database from 'better-sqlite3';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePostgres, startPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import { MIGRATIONS } from '../migrations.ts';
import { migratePg, pgSchemaVersion } from './migrate.ts';
import { PG_MIGRATIONS } from './migrations.ts';
import { createPgPool } from './pool.ts';

const STEPS = Array.from({ length: PG_MIGRATIONS.length }, (_, i) => i + 1);

it('has a PostgreSQL step for every SQLite step (step N there is step N here)', () => {
  expect(PG_MIGRATIONS).toHaveLength(MIGRATIONS.length);
});

describePostgres('PostgreSQL register migrations', () => {
  let server: TestPostgres;
  const pools: pg.Pool[] = [];
  let n = 0;
  /** A fresh empty database, and `count` pools on it (each one a "machine"). */
  const freshDatabase = async (count = 1) => {
    const url = await server.createDatabase(`migrate_${++n}`);
    const made = Array.from({ length: count }, () => createPgPool(url, { max: 2 }));
    pools.push(...made);
    return made;
  };

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await server?.stop();
  });

  it('migrates an empty database, records every step, and a second run applies nothing', async () => {
    const [pool] = await freshDatabase();
    expect(await pgSchemaVersion(pool!)).toBe(0);
    expect(await migratePg(pool!)).toEqual(STEPS);
    expect(await pgSchemaVersion(pool!)).toBe(PG_MIGRATIONS.length);
    const before = await columns(pool!);
    expect(await migratePg(pool!)).toEqual([]);
    expect(await columns(pool!)).toEqual(before);
    const { rows } = await pool!.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(STEPS);
  });

  it('makes the same tables and columns as the SQLite register', async () => {
    const [pool] = await freshDatabase();
    await migratePg(pool!);
    const sqlite = new Database(':memory:');
    for (const step of MIGRATIONS) sqlite.exec(step);
    const tables = sqlite
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all()
      .map((t) => t.name);
    const want: Record<string, string[]> = {};
    for (const t of tables) {
      want[t] = sqlite
        .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${t}')`)
        .all()
        .map((c) => c.name)
        .sort();
    }
    sqlite.close();
    const got = await columns(pool!);
    delete got.schema_migrations;
    expect(got).toEqual(want);
  });

  it('migrates once when several machines start together', async () => {
    const machines = await freshDatabase(6);
    const applied = await Promise.all(machines.map((p) => migratePg(p)));
    // Each step applied by exactly one of them; none failed on another's half-made tables.
    expect(applied.flat().sort((a, b) => a - b)).toEqual(STEPS);
    const { rows } = await machines[0]!.query('SELECT COUNT(*) AS n FROM schema_migrations');
    expect(rows[0].n).toBe(PG_MIGRATIONS.length);
  });

  it('step 6 gives old items an access level, holding those whose metadata was missing', async () => {
    const [pool] = await freshDatabase();
    await migratePg(pool!, { to: 5 });
    const insert = (id: string, flags: unknown[], metadata: object = {}) =>
      pool!.query(
        `INSERT INTO items (id, title, metadata, flags, fingerprint, source_path, source_name, intake, status,
           created_at, updated_at)
         VALUES ($1, 'Buku', $2, $3, 'fp', '/in', 'x', 'ingest', 'available', 't', 't')`,
        [id, JSON.stringify(metadata), JSON.stringify(flags)],
      );
    await insert('plain', []);
    await insert('missing', [{ code: 'metadata_missing', params: {} }]);
    await insert('chosen', [], { rights: 'staff-only' });
    expect(await migratePg(pool!)).toEqual(STEPS.slice(5));
    const { rows } = await pool!.query<{ id: string; metadata: string; flags: string }>(
      'SELECT id, metadata, flags FROM items ORDER BY id',
    );
    const byId = Object.fromEntries(
      rows.map((r) => [r.id, { metadata: JSON.parse(r.metadata), flags: JSON.parse(r.flags) }]),
    );
    expect(byId.plain).toEqual({ metadata: { rights: 'open' }, flags: [] });
    expect(byId.chosen).toEqual({ metadata: { rights: 'staff-only' }, flags: [] });
    expect(byId.missing?.metadata).toEqual({ rights: 'review' });
    expect(byId.missing?.flags).toEqual([
      { code: 'metadata_missing', params: {} },
      { code: 'held_for_review', params: { reason: 'registered_before_review' } },
    ]);
  });

  it('refuses a database migrated by a newer Pindai', async () => {
    const [pool] = await freshDatabase();
    await migratePg(pool!);
    await pool!.query('INSERT INTO schema_migrations (version) VALUES ($1)', [PG_MIGRATIONS.length + 1]);
    await expect(migratePg(pool!)).rejects.toThrow(/newer than this Pindai/);
  });

  it('reads BIGINT as a number and JSONB as its text, as SQLite rows are; refuses a BIGINT past 2^53', async () => {
    const [pool] = await freshDatabase();
    const { rows } = await pool!.query(
      `SELECT 1733400000000::bigint AS ms, COUNT(*) AS n, '{"b": 1, "a": [2]}'::jsonb AS j FROM (VALUES (1)) v`,
    );
    expect(rows[0]).toEqual({ ms: 1733400000000, n: 1, j: '{"a": [2], "b": 1}' });
    await expect(pool!.query('SELECT 9007199254740993::bigint AS big')).rejects.toThrow(/does not fit/);
  });

  it('keeps usernames unique regardless of case, as SQLite NOCASE does', async () => {
    const [pool] = await freshDatabase();
    await migratePg(pool!);
    const add = (name: string) =>
      pool!.query(
        `INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at)
         VALUES ($1, 'x', 'staf', 'h', 't', 't')`,
        [name],
      );
    await add('Siti');
    await expect(add('siti')).rejects.toThrow(/unique/i);
    const { rows } = await pool!.query('SELECT username FROM users WHERE username = $1', ['SITI']);
    expect(rows).toEqual([{ username: 'Siti' }]);
  });
});

/** Table → sorted column names, in the public schema. */
async function columns(pool: pg.Pool): Promise<Record<string, string[]>> {
  const { rows } = await pool.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  const out: Record<string, string[]> = {};
  for (const r of rows) out[r.table_name] = [...(out[r.table_name] ?? []), r.column_name];
  return out;
}
