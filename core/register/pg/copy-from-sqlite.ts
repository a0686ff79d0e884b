/**
 * `pindai register copy --to postgres://…`: move an embedded register (SQLite) to PostgreSQL.
 *
 * The copy reads a snapshot (`VACUUM INTO`, consistent even while Pindai writes), migrates the
 * target to the same schema step, and copies table by table in primary-key order, in batches that
 * each commit, inserting only rows the target lacks: stopped at any point, it is run again and
 * goes on. Every table is then verified on both sides: the row count and a SHA-256 over every row,
 * in key order, with JSON compared as parsed values (JSONB keeps neither key order nor spacing).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { MIGRATIONS } from '../migrations.ts';
import { openRegister } from '../open-register.ts';
import { migratePg } from './migrate.ts';
import { PG_MIGRATIONS } from './migrations.ts';
import { withTransaction } from './pool.ts';

/** Every table of the register, parents before children (foreign keys). A table not listed stops the copy. */
const TABLE_ORDER = [
  'items',
  'counters',
  'pages',
  'jobs',
  'stage_runs',
  'events',
  'users',
  'sessions',
  'audit_log',
  'item_revisions',
  'rejected_batches',
  'login_limits',
  'index_outbox',
  'catalog_records',
  'catalog_keys',
  'item_steps',
  'settings',
  'fixity_runs',
  'replica_copies',
  'replica_state',
];
const BATCH = 500;

export interface TableReport {
  table: string;
  rows: number;
  copied: number;
  verified: boolean;
}

export interface CopyReport {
  schemaVersion: number;
  tables: TableReport[];
  ok: boolean;
}

interface Column {
  name: string;
  pk: number;
}

export async function copyRegisterToPg(
  sqliteFile: string,
  pool: pg.Pool,
  opts: { onTable?: (t: TableReport) => void } = {},
): Promise<CopyReport> {
  if (PG_MIGRATIONS.length !== MIGRATIONS.length) {
    throw new Error(`schema steps differ: SQLite ${MIGRATIONS.length}, PostgreSQL ${PG_MIGRATIONS.length}`);
  }
  // Bring the source to this Pindai's schema, then read a consistent snapshot of it.
  openRegister(sqliteFile).close();
  const snapshot = `${sqliteFile}.copy-${process.pid}.sqlite`;
  fs.rmSync(snapshot, { force: true });
  const live = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  try {
    live.prepare('VACUUM INTO ?').run(snapshot);
  } finally {
    live.close();
  }
  const db = new Database(snapshot, { readonly: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    await migratePg(pool, { to: version });
    const tables = (
      db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
        .all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    const unknown = tables.filter((t) => !TABLE_ORDER.includes(t));
    if (unknown.length > 0) throw new Error(`tables the copy does not know: ${unknown.join(', ')}`);
    const kindsOf = await columnKinds(pool);
    const reports: TableReport[] = [];
    for (const table of TABLE_ORDER.filter((t) => tables.includes(t))) {
      const cols = db.prepare(`PRAGMA table_info(${table})`).all() as Column[];
      const keys = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
      const order = (keys.length > 0 ? keys : cols).map((c) => c.name);
      const kinds = kindsOf.get(table);
      if (!kinds) throw new Error(`table ${table} is missing on the target`);
      const copied = await copyTable(db, pool, table, cols, order, kinds);
      await moveIdentityPast(pool, table, cols);
      const [a, b] = [
        digestSqlite(db, table, cols, order, kinds),
        await digestPg(pool, table, cols, order, kinds),
      ];
      const report = { table, rows: a.rows, copied, verified: a.rows === b.rows && a.sha256 === b.sha256 };
      opts.onTable?.(report);
      reports.push(report);
    }
    return { schemaVersion: version, tables: reports, ok: reports.every((r) => r.verified) };
  } finally {
    db.close();
    fs.rmSync(snapshot, { force: true });
  }
}

async function copyTable(
  db: Database.Database,
  pool: pg.Pool,
  table: string,
  cols: Column[],
  order: string[],
  kinds: Kinds,
) {
  const names = cols.map((c) => c.name);
  const select = db.prepare(
    `SELECT ${names.join(', ')} FROM ${table} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`,
  );
  let copied = 0;
  for (let offset = 0; ; offset += BATCH) {
    const rows = select.raw().all(BATCH, offset) as unknown[][];
    if (rows.length === 0) return copied;
    const params: unknown[] = [];
    const tuples = rows.map(
      (row) => `(${row.map((v, i) => `$${params.push(asTarget(v, names[i] as string, kinds))}`).join(', ')})`,
    );
    const r = await withTransaction(pool, (c) =>
      c.query(
        `INSERT INTO ${table} (${names.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`,
        params,
      ),
    );
    copied += r.rowCount ?? 0;
  }
}

/** Rows copied with their ids: the server's numbering goes on after the highest. */
async function moveIdentityPast(pool: pg.Pool, table: string, cols: Column[]) {
  if (!cols.some((c) => c.name === 'id')) return;
  const seq = await pool.query<{ s: string | null }>(`SELECT pg_get_serial_sequence($1, 'id') AS s`, [table]);
  const name = seq.rows[0]?.s;
  if (!name) return;
  await pool.query(`SELECT setval($1, GREATEST((SELECT MAX(id) FROM ${table}), 1))`, [name]);
}

/** Column kinds on the target that the copy treats specially: JSON, whole numbers, text. */
interface Kinds {
  json: Set<string>;
  int: Set<string>;
  text: Set<string>;
}

async function columnKinds(pool: pg.Pool): Promise<Map<string, Kinds>> {
  const r = await pool.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = current_schema()`,
  );
  const out = new Map<string, Kinds>();
  for (const row of r.rows) {
    const k = out.get(row.table_name) ?? { json: new Set(), int: new Set(), text: new Set() };
    if (row.data_type === 'jsonb' || row.data_type === 'json') k.json.add(row.column_name);
    else if (['bigint', 'integer', 'smallint'].includes(row.data_type)) k.int.add(row.column_name);
    else if (['text', 'character varying', 'USER-DEFINED'].includes(row.data_type))
      k.text.add(row.column_name);
    out.set(row.table_name, k);
  }
  return out;
}

/**
 * A value as the target column holds it: SQLite keeps 12.5 in an INTEGER column (a duration
 * in milliseconds), PostgreSQL's BIGINT holds 13 — the adapter rounds on write, so does the copy.
 */
function asTarget(v: unknown, name: string, kinds: Kinds): unknown {
  if (typeof v === 'number' && kinds.int.has(name) && !Number.isInteger(v)) return Math.round(v);
  return v;
}

/** One row as the digest sees it: JSON parsed and keys sorted, numbers as numbers, text as text. */
function canonical(row: Record<string, unknown>, names: string[], kinds: Kinds): string {
  return JSON.stringify(
    names.map((n) => {
      const v = row[n];
      if (v === null || v === undefined) return null;
      if (kinds.json.has(n) && typeof v === 'string') return sortKeys(JSON.parse(v));
      if (typeof v === 'bigint') return Number(v);
      return asTarget(v, n, kinds);
    }),
  );
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function digestSqlite(db: Database.Database, table: string, cols: Column[], order: string[], kinds: Kinds) {
  const names = cols.map((c) => c.name);
  const hash = createHash('sha256');
  let rows = 0;
  for (const row of db
    .prepare(`SELECT ${names.join(', ')} FROM ${table} ORDER BY ${order.join(', ')}`)
    .iterate()) {
    hash.update(`${canonical(row as Record<string, unknown>, names, kinds)}\n`);
    rows++;
  }
  return { rows, sha256: hash.digest('hex') };
}

async function digestPg(pool: pg.Pool, table: string, cols: Column[], order: string[], kinds: Kinds) {
  const names = cols.map((c) => c.name);
  // Text keys in SQLite's order: byte by byte (COLLATE "C"; CITEXT compared as its text).
  const by = order.map((n) => (kinds.text.has(n) ? `${n}::text COLLATE "C"` : n)).join(', ');
  const hash = createHash('sha256');
  let rows = 0;
  for (let offset = 0; ; offset += 5000) {
    const r = await pool.query(
      `SELECT ${names.map((n) => (kinds.json.has(n) ? `${n}::text AS ${n}` : n)).join(', ')}
         FROM ${table} ORDER BY ${by} LIMIT 5000 OFFSET ${offset}`,
    );
    for (const row of r.rows) hash.update(`${canonical(row, names, kinds)}\n`);
    rows += r.rows.length;
    if (r.rows.length < 5000) break;
  }
  return { rows, sha256: hash.digest('hex') };
}
