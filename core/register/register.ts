import { createAuditQueries } from './audit.queries.ts';
import { createInventoryQueries } from './inventory.queries.ts';
import { createItemSettingsQueries } from './item-settings.queries.ts';
import { createItemQueries } from './items.queries.ts';
import { createJobQueries } from './jobs.queries.ts';
import { createLoginLimits, type LoginLimitRules, type LoginLimits } from './login-limits.ts';
import { openRegister } from './open-register.ts';
import { createPageQueries } from './pages.queries.ts';
import { createQueueQueries } from './queue.queries.ts';
import { createRejectionQueries } from './rejections.queries.ts';
import { createReportQueries } from './reports.queries.ts';
import { createRestoreQueries } from './restore.queries.ts';
import { createReviewQueries } from './review.queries.ts';
import { createRunQueries } from './runs.queries.ts';
import { createSessionQueries } from './sessions.queries.ts';
import { createStaffItemQueries } from './staff-items.queries.ts';
import { createUserQueries } from './users.queries.ts';

/**
 * The register (Buku Induk), as the rest of Pindai sees it: one member per query group, and
 * nothing else. No driver handle and no caller-composed transactions: an operation that must be
 * atomic is ONE method of the group that owns it (an adapter runs it as one transaction), so a
 * second SQL engine is a second implementation of this interface, checked by the same contract
 * suite (`register.contract.ts`).
 *
 * An adapter MUST keep each method atomic; MUST hand out nomor induk consecutive and unique per
 * series across every process on the register; MUST lease a job to one worker at a time and let
 * an expired lease be taken over; and MUST make every write visible to other processes on the same
 * register once the method returns.
 */
export interface Register {
  readonly items: ReturnType<typeof createItemQueries>;
  readonly pages: ReturnType<typeof createPageQueries>;
  /** The job queue: every write to a job row goes through here. */
  readonly jobs: ReturnType<typeof createJobQueries>;
  /** Stage runs and the event log. */
  readonly runs: ReturnType<typeof createRunQueries>;
  readonly review: ReturnType<typeof createReviewQueries>;
  /** Batches intake refused (they have no item). */
  readonly rejections: ReturnType<typeof createRejectionQueries>;
  /** Per-item processing settings staff chose (OCR languages, cleaning). */
  readonly itemSettings: ReturnType<typeof createItemSettingsQueries>;
  /** Staff changes to items: metadata edits, withdrawal, retries, re-runs, page changes. */
  readonly staffItems: ReturnType<typeof createStaffItemQueries>;
  readonly users: ReturnType<typeof createUserQueries>;
  readonly sessions: ReturnType<typeof createSessionQueries>;
  readonly audit: ReturnType<typeof createAuditQueries>;
  readonly inventory: ReturnType<typeof createInventoryQueries>;
  readonly reports: ReturnType<typeof createReportQueries>;
  /** The live queue /staf shows. */
  readonly queue: ReturnType<typeof createQueueQueries>;
  /** Writes of `pindai rebuild-register` only. */
  readonly restore: ReturnType<typeof createRestoreQueries>;
  /** Failed staff sign-ins counted under `rules`, shared by every process on this register. */
  loginLimits(rules: LoginLimitRules): LoginLimits;
  close(): void;
}

/** The embedded register: one SQLite file (better-sqlite3, WAL), shared by processes on one host. */
export function createRegister(file: string): Register {
  const db = openRegister(file);
  const runs = createRunQueries(db);
  const jobs = createJobQueries(db, { runs, markFailed: (...a) => items.markFailed(...a) });
  const items = createItemQueries(db, { jobs, runs });
  return {
    items,
    pages: createPageQueries(db),
    jobs,
    runs,
    review: createReviewQueries(db),
    rejections: createRejectionQueries(db, { runs }),
    itemSettings: createItemSettingsQueries(db),
    staffItems: createStaffItemQueries(db, { jobs }),
    users: createUserQueries(db),
    sessions: createSessionQueries(db),
    audit: createAuditQueries(db),
    inventory: createInventoryQueries(db),
    reports: createReportQueries(db),
    queue: createQueueQueries(db),
    restore: createRestoreQueries(db, { jobs, runs }),
    loginLimits: (rules) => createLoginLimits(db, rules),
    close: () => db.close(),
  };
}
