import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withRegisterSql } from '../../test/support/register-sql.ts';
import { tempDir } from '../../test/support/temp-dir.ts';
import { harvestPageSql } from './harvest.queries.ts';
import { createRegister } from './register.ts';

describe('harvest pages on SQLite', () => {
  it('walk the primary key in id order: no sort of every public item for each page', async () => {
    const file = path.join(tempDir('pindai-harvest-'), 'register.sqlite');
    await createRegister(file).close();
    const any = { from: null, until: null, collections: null, types: null, limit: 101 };
    for (const q of [
      { ...any, afterId: null },
      { ...any, afterId: 'abc123' },
      { ...any, from: '2026-01-01T00:00:00.000Z', afterId: 'abc123', collections: ['Koleksi Lokal'] },
    ]) {
      const s = harvestPageSql(q);
      if (!s) throw new Error('no SQL');
      const plan = withRegisterSql(file, (db) =>
        db.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.params),
      ) as { detail: string }[];
      const details = plan.map((p) => p.detail).join(' | ');
      expect(details).not.toMatch(/TEMP B-TREE/);
      expect(details).toMatch(/USING INDEX sqlite_autoindex_items_1/);
    }
  });
});
