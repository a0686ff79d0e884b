import { createItemQueries } from './items.queries.ts';
import { createJobQueries } from './jobs.queries.ts';
import { type Db, openRegister } from './open-register.ts';
import { createPageQueries } from './pages.queries.ts';
import { createRejectionQueries } from './rejections.queries.ts';
import { createReviewQueries } from './review.queries.ts';
import { createRunQueries } from './runs.queries.ts';

/** The register (Buku Induk): every SQL query Pindai runs lives under core/register/. */
export interface Register {
  readonly db: Db;
  readonly items: ReturnType<typeof createItemQueries>;
  readonly pages: ReturnType<typeof createPageQueries>;
  readonly jobs: ReturnType<typeof createJobQueries>;
  readonly runs: ReturnType<typeof createRunQueries>;
  readonly review: ReturnType<typeof createReviewQueries>;
  /** Batches intake refused (they have no item). */
  readonly rejections: ReturnType<typeof createRejectionQueries>;
  /** Run `fn` in one IMMEDIATE transaction. */
  tx<T>(fn: () => T): T;
  close(): void;
}

export function createRegister(file: string): Register {
  const db = openRegister(file);
  return {
    db,
    items: createItemQueries(db),
    pages: createPageQueries(db),
    jobs: createJobQueries(db),
    runs: createRunQueries(db),
    review: createReviewQueries(db),
    rejections: createRejectionQueries(db),
    tx: (fn) => db.transaction(fn).immediate(),
    close: () => db.close(),
  };
}
