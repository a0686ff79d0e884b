import type { Register } from '../register.ts';
import { migratePg } from './migrate.ts';
import { createPgAuditQueries } from './pg-audit.ts';
import { createPgCatalogQueries } from './pg-catalog.ts';
import { createPgFixityQueries } from './pg-fixity.ts';
import { createPgHarvestQueries } from './pg-harvest.ts';
import { createPgInventoryQueries } from './pg-inventory.ts';
import { createPgItemSettingsQueries } from './pg-item-settings.ts';
import { createPgItemQueries, markItemFailed } from './pg-items.ts';
import { createPgJobQueries, createPgJobStatements } from './pg-jobs.ts';
import { createPgLoginLimits } from './pg-login-limits.ts';
import { createPgOutboxQueries } from './pg-outbox.ts';
import { createPgPageQueries } from './pg-pages.ts';
import { createPgQueueQueries } from './pg-queue.ts';
import { createPgRejectionQueries } from './pg-rejections.ts';
import { createPgReplicaQueries } from './pg-replica.ts';
import { createPgReportQueries } from './pg-reports.ts';
import { createPgRestoreQueries } from './pg-restore.ts';
import { createPgReviewQueries } from './pg-review.ts';
import { createPgRunQueries } from './pg-runs.ts';
import { createPgSessionQueries } from './pg-sessions.ts';
import { createPgStaffItemQueries } from './pg-staff-items.ts';
import { createPgStepQueries } from './pg-steps.ts';
import { createPgUserQueries } from './pg-users.ts';
import { createPgPool } from './pool.ts';

/**
 * The register on PostgreSQL (`PINDAI_REGISTER_URL=postgres://…`): the same port as the embedded
 * SQLite register, for processes on several machines. Migrates the database on open (several
 * machines starting at once migrate once: migratePg holds an advisory lock). The database should be
 * created with LC_COLLATE 'C' so text sorts as it does in SQLite (see migrations.ts).
 */
export async function createPgRegister(url: string, opts: { max?: number } = {}): Promise<Register> {
  const pool = createPgPool(url, { max: opts.max ?? 10 });
  try {
    await migratePg(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return {
    items: createPgItemQueries(pool),
    pages: createPgPageQueries(pool),
    jobs: createPgJobQueries(pool, { markFailed: markItemFailed }),
    runs: createPgRunQueries(pool),
    review: createPgReviewQueries(pool),
    rejections: createPgRejectionQueries(pool),
    itemSettings: createPgItemSettingsQueries(pool),
    staffItems: createPgStaffItemQueries(pool, { jobsOn: createPgJobStatements }),
    users: createPgUserQueries(pool),
    sessions: createPgSessionQueries(pool),
    audit: createPgAuditQueries(pool),
    inventory: createPgInventoryQueries(pool),
    reports: createPgReportQueries(pool),
    steps: createPgStepQueries(pool),
    queue: createPgQueueQueries(pool),
    outbox: createPgOutboxQueries(pool),
    harvest: createPgHarvestQueries(pool),
    restore: createPgRestoreQueries(pool),
    catalog: createPgCatalogQueries(pool),
    fixity: createPgFixityQueries(pool),
    replica: createPgReplicaQueries(pool),
    loginLimits: (rules) => createPgLoginLimits(pool, rules),
    close: () => pool.end(),
  };
}
