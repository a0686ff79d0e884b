import type { EventEmitter } from 'node:events';
import type { ProbeImage } from '../../core/image-probe.ts';
import type { PrintInventory } from '../../core/inventory.ts';
import type { Lang } from '../../core/messages.ts';
import type { LoginLimitRules, LoginLimits } from '../../core/register/login-limits.ts';
import type { Register } from '../../core/register/register.ts';
import type { ReplicaHealth } from '../../core/replica/replica-health.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import type { AcceptOptions, AcceptResult } from '../../ingest/accept-batch.ts';
import type { SearchIndex } from '../../search/search-index.ts';

/** Limits and timings of the staff workspace; every one has a safe default. */
export interface StaffOptions {
  /** A session ends after this long without a request (default 2 h). */
  sessionIdleMs: number;
  /** ... and at the latest this long after login (default 12 h). */
  sessionMaxMs: number;
  /**
   * Failed sign-ins, counted in the register (core/register/login-limits.ts). Per client address:
   * `loginMax` per `loginWindowMs`, then that address waits `loginWindowMs` (default 10 per 15 min).
   */
  loginMax: number;
  loginWindowMs: number;
  /**
   * Per account from one address: `loginAccountAddressMax` failures in a row (a success there
   * starts over), then that account waits `loginWindowMs` there (default 5). Below `loginMax`, so
   * one person's typos close their own account at a shared office address, not the address.
   */
  loginAccountAddressMax: number;
  /**
   * Per account from every address: `loginAccountMax` per `loginAccountWindowMs`, then the account
   * waits `loginAccountBlockMs` (default 20 per 24 h, then 1 h); an admin can unlock it sooner.
   */
  loginAccountMax: number;
  loginAccountWindowMs: number;
  loginAccountBlockMs: number;
  /** Whole upload request body (default 2 GiB), one page file (default 300 MiB), files per batch. */
  maxUploadBytes: number;
  maxFileBytes: number;
  maxFiles: number;
}

/** The register's sign-in counts from the staff options (also for `pindai user unlock`). */
export function loginLimitRulesOf(o: StaffOptions): LoginLimitRules {
  return {
    address: { max: o.loginMax, windowMs: o.loginWindowMs, blockMs: o.loginWindowMs },
    accountAddress: {
      max: o.loginAccountAddressMax,
      windowMs: o.loginAccountWindowMs,
      blockMs: o.loginWindowMs,
    },
    account: { max: o.loginAccountMax, windowMs: o.loginAccountWindowMs, blockMs: o.loginAccountBlockMs },
  };
}

export const DEFAULT_STAFF_OPTIONS: StaffOptions = {
  sessionIdleMs: 2 * 3600_000,
  sessionMaxMs: 12 * 3600_000,
  loginMax: 10,
  loginWindowMs: 15 * 60_000,
  loginAccountAddressMax: 5,
  loginAccountMax: 20,
  loginAccountWindowMs: 24 * 3600_000,
  loginAccountBlockMs: 3600_000,
  maxUploadBytes: 2 * 1024 ** 3,
  maxFileBytes: 300 * 1024 ** 2,
  maxFiles: 2000,
};

/** What `pindai serve` hands the staff workspace. */
export interface StaffDeps {
  register: Register;
  store: ObjectStore;
  index: SearchIndex;
  /** The one batch entry (ingest/accept-batch.ts), already bound to the configured store etc. */
  accept(dir: string, opts: AcceptOptions): Promise<AcceptResult>;
  /** The job runner's events ('stage', 'progress') for the live queue. */
  runnerEvents: EventEmitter;
  /** Wake the runner after a retry. */
  poke(): void;
  /** Upload temp folder; emptied after every upload. */
  dirs: { uploadTmp: string };
  lang: Lang;
  /** Configured OCR languages (PINDAI_OCR_LANGS): a re-run may use all of them or one. */
  ocrLangs: string[];
  options?: Partial<StaffOptions>;
  /** Intake's image check and pixel limit, for a page staff replace with a rescan. */
  probe: ProbeImage;
  maxPixels: number;
  /** The printable Buku Inventaris (an engine: workers/engines/inventory-pdf.ts). */
  printInventory: PrintInventory;
  /** PINDAI_FIXITY_OVERDUE_DAYS: the staff home warns after this many days without a whole fixity run (default 3; 0: never). */
  fixityOverdueDays?: number;
  /** The replica's lag and last verification for the home page's banner; absent without a replica. */
  replicaHealth?: () => Promise<ReplicaHealth>;
}

export type StaffContext = Omit<StaffDeps, 'options' | 'fixityOverdueDays'> & {
  options: StaffOptions;
  fixityOverdueDays: number;
  // Short names for the register's groups the staff routes use.
  users: Register['users'];
  sessions: Register['sessions'];
  audit: Register['audit'];
  inventory: Register['inventory'];
  staffItems: Register['staffItems'];
  reports: Register['reports'];
  queue: Register['queue'];
  staffSettings: Register['itemSettings'];
  loginLimits: LoginLimits;
};

export function createStaffContext(deps: StaffDeps): StaffContext {
  const { register } = deps;
  const options = { ...DEFAULT_STAFF_OPTIONS, ...deps.options };
  return {
    ...deps,
    options,
    fixityOverdueDays: deps.fixityOverdueDays ?? 3,
    users: register.users,
    sessions: register.sessions,
    audit: register.audit,
    inventory: register.inventory,
    staffItems: register.staffItems,
    reports: register.reports,
    queue: register.queue,
    staffSettings: register.itemSettings,
    loginLimits: register.loginLimits(loginLimitRulesOf(options)),
  };
}
