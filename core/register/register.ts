import { createAuditQueries } from './audit.queries.ts';
import { createCatalogQueries } from './catalog.queries.ts';
import { createFixityQueries } from './fixity.queries.ts';
import { createHarvestQueries } from './harvest.queries.ts';
import { createInventoryQueries } from './inventory.queries.ts';
import { createItemSettingsQueries } from './item-settings.queries.ts';
import { createItemQueries, type ItemQueries } from './items.queries.ts';
import { createJobQueries, type JobQueries } from './jobs.queries.ts';
import { createLoginLimits, type LoginLimitRules, type LoginLimits } from './login-limits.ts';
import { openRegister } from './open-register.ts';
import { createOutboxQueries } from './outbox.queries.ts';
import { createPageQueries, type PageQueries } from './pages.queries.ts';
import { createQueueQueries } from './queue.queries.ts';
import { createRejectionQueries } from './rejections.queries.ts';
import { createReplicaQueries, type ReplicaQueries } from './replica.queries.ts';
import { createReportQueries } from './reports.queries.ts';
import { createRestoreQueries } from './restore.queries.ts';
import { createReviewQueries } from './review.queries.ts';
import { createRunQueries, type RunQueries } from './runs.queries.ts';
import { createSessionQueries } from './sessions.queries.ts';
import { createStaffItemQueries } from './staff-items.queries.ts';
import { createStepQueries } from './steps.queries.ts';
import { createUserQueries } from './users.queries.ts';

/**
 * A query group as callers see it: every method answers with a Promise, and a method that yields
 * rows one by one (a generator) answers with an AsyncIterable. Derived from the SQLite groups for
 * now; a second adapter implements the same shapes.
 */
export type Async<G> = {
  readonly [K in keyof G]: G[K] extends (...args: infer A) => Generator<infer T>
    ? (...args: A) => AsyncIterable<T>
    : G[K] extends (...args: infer A) => infer R
      ? (...args: A) => Promise<R>
      : never;
};

/**
 * The register (Buku Induk), as the rest of Pindai sees it: one member per query group, and
 * nothing else. No driver handle and no caller-composed transactions: an operation that must be
 * atomic is ONE method of the group that owns it (an adapter runs it as one transaction), so a
 * second SQL engine is a second implementation of this interface, checked by the same contract
 * suite (`register.contract.ts`). Every method is asynchronous, so an adapter may talk to a server.
 *
 * An adapter MUST keep each method atomic; MUST hand out nomor induk consecutive and unique per
 * series across every process on the register; MUST lease a job to one worker at a time and let
 * an expired lease be taken over; and MUST make every write visible to other processes on the same
 * register once the method's promise resolves.
 */
export interface Register {
  readonly items: Async<ItemQueries>;
  readonly pages: Async<PageQueries>;
  /** The job queue: every write to a job row goes through here. */
  readonly jobs: Async<JobQueries>;
  /** Stage runs and the event log. */
  readonly runs: Async<RunQueries>;
  readonly review: Async<ReturnType<typeof createReviewQueries>>;
  /** Batches intake refused (they have no item). */
  readonly rejections: Async<ReturnType<typeof createRejectionQueries>>;
  /** Per-item processing settings staff chose (OCR languages, cleaning). */
  readonly itemSettings: Async<ReturnType<typeof createItemSettingsQueries>>;
  /** Staff changes to items: metadata edits, withdrawal, retries, re-runs, page changes. */
  readonly staffItems: Async<ReturnType<typeof createStaffItemQueries>>;
  readonly users: Async<ReturnType<typeof createUserQueries>>;
  readonly sessions: Async<ReturnType<typeof createSessionQueries>>;
  readonly audit: Async<ReturnType<typeof createAuditQueries>>;
  readonly inventory: Async<ReturnType<typeof createInventoryQueries>>;
  readonly reports: Async<ReturnType<typeof createReportQueries>>;
  /** The human steps of each item, with who and when (the SOP report). */
  readonly steps: Async<ReturnType<typeof createStepQueries>>;
  /** The live queue /staf shows. */
  readonly queue: Async<ReturnType<typeof createQueueQueries>>;
  /** "This item changed" notes for the node that holds the search index (search/outbox-applier.ts). */
  readonly outbox: Async<ReturnType<typeof createOutboxQueries>>;
  /** What harvesters (OAI-PMH) may list: public items and withdrawn ones that were public. */
  readonly harvest: Async<ReturnType<typeof createHarvestQueries>>;
  /** Writes of `pindai rebuild-register` only. */
  readonly restore: Async<ReturnType<typeof createRestoreQueries>>;
  /** The library's own catalogue (INLISLite/SLiMS exports), found by barcode, nomor induk, ISBN, call number. */
  readonly catalog: Async<ReturnType<typeof createCatalogQueries>>;
  /** The replica ledger: objects still to copy to the second store, and the last sync and verification. */
  readonly replica: Async<ReplicaQueries>;
  /** Failed staff sign-ins counted under `rules`, shared by every process on this register. */
  /** Fixity runs (nightly and by hand) and the items they found damaged. */
  readonly fixity: Async<ReturnType<typeof createFixityQueries>>;
  loginLimits(rules: LoginLimitRules): LoginLimits;
  close(): Promise<void>;
}

/**
 * The embedded register: one SQLite file (better-sqlite3, WAL), shared by processes on one host.
 * The query groups stay synchronous inside (better-sqlite3 is, and a method's transaction must not
 * span an await); each method is wrapped once here, so a call costs one promise and nothing else.
 * The SQL runs during the call itself, before the promise is handed back.
 */
export function createRegister(file: string): Register {
  const db = openRegister(file);
  const runs = createRunQueries(db);
  const jobs = createJobQueries(db, { runs, markFailed: (...a) => items.markFailed(...a) });
  const items = createItemQueries(db, { jobs, runs });
  return {
    items: asyncGroup(items),
    pages: asyncGroup(createPageQueries(db)),
    jobs: asyncGroup(jobs),
    runs: asyncGroup(runs),
    review: asyncGroup(createReviewQueries(db)),
    rejections: asyncGroup(createRejectionQueries(db, { runs })),
    itemSettings: asyncGroup(createItemSettingsQueries(db)),
    staffItems: asyncGroup(createStaffItemQueries(db, { jobs })),
    users: asyncGroup(createUserQueries(db)),
    sessions: asyncGroup(createSessionQueries(db)),
    audit: asyncGroup(createAuditQueries(db)),
    inventory: asyncGroup(createInventoryQueries(db)),
    reports: asyncGroup(createReportQueries(db)),
    steps: asyncGroup(createStepQueries(db)),
    queue: asyncGroup(createQueueQueries(db)),
    outbox: asyncGroup(createOutboxQueries(db)),
    harvest: asyncGroup(createHarvestQueries(db)),
    restore: asyncGroup(createRestoreQueries(db, { jobs, runs })),
    catalog: asyncGroup(createCatalogQueries(db)),
    fixity: asyncGroup(createFixityQueries(db)),
    replica: asyncGroup(createReplicaQueries(db)),
    loginLimits: (rules) => createLoginLimits(db, rules),
    close: async () => {
      db.close();
    },
  };
}

type Method = (this: unknown, ...args: unknown[]) => unknown;
const isGeneratorFunction = (fn: Method): fn is (this: unknown, ...args: unknown[]) => Iterable<unknown> =>
  Object.prototype.toString.call(fn) === '[object GeneratorFunction]';

/**
 * A synchronous group's async face: one wrapper per method, made once. A method's own `this`
 * (one method calling another of its group) stays the synchronous group, and a throw becomes a
 * rejection, as from any async adapter.
 */
function asyncGroup<G extends object>(group: G): Async<G> {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(group) as [string, Method][]) {
    if (typeof fn !== 'function') throw new TypeError(`register group member ${name} is not a method`);
    out[name] = isGeneratorFunction(fn)
      ? async function* (...args: unknown[]) {
          yield* fn.apply(group, args);
        }
      : async (...args: unknown[]) => fn.apply(group, args);
  }
  return Object.freeze(out) as Async<G>;
}
