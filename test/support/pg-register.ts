import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migratePg } from '../../core/register/pg/migrate.ts';
import { createPgPool } from '../../core/register/pg/pool.ts';
import { startPostgres, type TestPostgres } from './postgres.ts';

/**
 * One throwaway PostgreSQL server for a spec file (started in beforeAll, stopped in afterAll),
 * and `fresh(count)`: a new migrated, empty register database with `count` pools on it, each
 * pool standing for one machine. Call inside `describePostgres`.
 */
export function usePgRegisters(prefix: string): {
  fresh(count?: number, max?: number, opts?: { ctype?: string }): Promise<pg.Pool[]>;
} {
  let server: TestPostgres | undefined;
  const pools: pg.Pool[] = [];
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
      await migratePg(made[0] as pg.Pool);
      return made;
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
