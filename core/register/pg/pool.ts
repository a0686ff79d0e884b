import pg from 'pg';

/** Anything that runs a query: a pool, or one client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

const INT8 = 20;
const JSON_OID = 114;
const JSONB = 3802;

/**
 * Column values as the SQLite register returns them, so row mapping can be shared: BIGINT (ids,
 * epoch milliseconds, byte counts) as a number rather than pg's default string, and JSON/JSONB as
 * the text the SQLite code already `JSON.parse`s. Beyond 2^53 a number would silently round, so
 * that throws instead (no column of ours gets there: ms epochs reach 2^53 in the year 287 396).
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return parseInt8;
    if (oid === JSON_OID || oid === JSONB) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

function parseInt8(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${v} does not fit a JavaScript number`);
  return n;
}

export interface PgPoolOptions {
  /** Connections held at most (pg's default: 10). */
  max?: number;
  /** Shown in pg_stat_activity, to tell machines and processes apart. */
  applicationName?: string;
  /**
   * An idle connection failed (server restart, network): pg drops it and the next query opens a
   * new one. Without a listener the error would end the process.
   */
  onIdleError?: (err: Error) => void;
}

/**
 * The PostgreSQL register's connection pool, from PINDAI_REGISTER_URL (postgres://user:pass@host:5432/db,
 * with libpq's query parameters such as ?sslmode=require).
 */
export function createPgPool(url: string, opts: PgPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    types,
    max: opts.max ?? 10,
    ...(opts.applicationName !== undefined && { application_name: opts.applicationName }),
  });
  pool.on('error', (err) => opts.onIdleError?.(err));
  return pool;
}

/**
 * Run `fn` in one transaction on one client of the pool: COMMIT when it resolves, ROLLBACK when it
 * throws (and the error goes on). A client whose ROLLBACK failed is discarded, not reused.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (err) {
    const broken = await client.query('ROLLBACK').then(
      () => undefined,
      (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
    );
    client.release(broken);
    throw err;
  }
}
