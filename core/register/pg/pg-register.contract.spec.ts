import { afterAll, beforeAll } from 'vitest';
import { describePostgres, startPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import { describeRegisterContract } from '../register.contract.ts';
import type { Register } from '../register.ts';
import { createPgRegister } from './pg-register.ts';

/**
 * The same contract as the embedded register, on a real PostgreSQL the test starts: a new
 * database per test; a sibling is a second register (its own pool) on that database, as another
 * machine would open it.
 */
describePostgres('PostgreSQL register', () => {
  let server: TestPostgres | undefined;
  let n = 0;
  const urls = new WeakMap<Register, string>();
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  describeRegisterContract(
    'PostgreSQL',
    async () => {
      if (!server) throw new Error('the test server did not start');
      const url = await server.createDatabase(`contract_${++n}`);
      const reg = await createPgRegister(url, { max: 4 });
      urls.set(reg, url);
      return reg;
    },
    { sibling: (reg) => createPgRegister(urls.get(reg) as string, { max: 4 }) },
  );
});
