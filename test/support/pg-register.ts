import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migratePg } from '../../core/register/pg/migrate.ts';
import { createPgPool } from '../../core/register/pg/pool.ts';
import { startPostgres, type TestPostgres } from './postgres.ts';

/**
 * One throwaway PostgreSQL server for a spec file (started in beforeAll, stopped in afterAll),
 * and `fresh(count)`: a new migrated, empty register database with `count` pools on it, each
 * pool standing for one machine. Call inside `describePostgres`.
 */
export function usePgRegisters(prefix: string): { fresh(count?: number, max?: number): Promise<pg.Pool[]> } {
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
    async fresh(count = 1, max = 4) {
      if (!server) throw new Error('the test server did not start');
      const url = await server.createDatabase(`${prefix}_${++n}`);
      const made = Array.from({ length: count }, () => createPgPool(url, { max }));
      pools.push(...made);
      await migratePg(made[0] as pg.Pool);
      return made;
    },
  };
}
