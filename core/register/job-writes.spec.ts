import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', '.git', 'data', 'dist']);

function* sources(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (/\.tsx?$/.test(e.name) && !/\.(spec|test)\.tsx?$/.test(e.name)) yield p;
  }
}

describe('job state', () => {
  it('is written by one jobs group per register adapter (SQLite, PostgreSQL) alone, the schemas aside', () => {
    const writers = new Map<string, number>();
    for (const file of sources(ROOT)) {
      const n = fs.readFileSync(file, 'utf8').match(/\b(UPDATE|INSERT INTO|DELETE FROM)\s+jobs\b/gi)?.length;
      if (n) writers.set(path.relative(ROOT, file), n);
    }
    writers.delete('core/register/migrations.ts');
    writers.delete('core/register/pg/migrations.ts');
    // Benchmarks seed thousands of queued jobs in one statement: fixtures, not job state changes.
    for (const k of writers.keys()) if (k.startsWith('scripts/bench/')) writers.delete(k);
    expect([...writers.keys()].sort()).toEqual([
      'core/register/jobs.queries.ts',
      'core/register/pg/pg-jobs.ts',
    ]);
    // ... and the statement that puts a stage back in the queue exists once in each.
    for (const file of writers.keys()) {
      const jobs = fs.readFileSync(path.join(ROOT, file), 'utf8');
      expect(jobs.match(/attempts = 0, crashes = 0/g), file).toHaveLength(1);
    }
  });
});
