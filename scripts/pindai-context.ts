import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import type { OcrEngine } from '../core/ocr.types.ts';
import { openConfiguredRegister } from '../core/register/open-configured.ts';
import type { Register } from '../core/register/register.ts';
import { createReplicator, type Replicator } from '../core/replica/replicator.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { createReplicatedObjectStore } from '../core/store/replicated.object-store.ts';
import { type AcceptOptions, type AcceptResult, acceptBatch, acceptDepsOf } from '../ingest/accept-batch.ts';
import { createOutboxSearchIndex } from '../search/outbox.search-index.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { selectOcrEngine } from '../workers/engines/ocr-engine-select.ts';
import { probeSource } from '../workers/engines/source-probe.ts';
import { createJobRunner, type JobRunner, type RunnerOptions } from '../workers/job-runner.ts';
import { createOcrReadAhead } from '../workers/ocr-read-ahead.ts';
import type { StageDeps, StageHandlers } from '../workers/stage.types.ts';
import { STAGE_HANDLERS } from '../workers/stage-handlers.ts';
import { openObjectStore, openSearchIndex } from './open-backends.ts';

export interface Pindai {
  config: Config;
  log: Logger;
  register: Register;
  /** The store and index intake and the stages use (wrapped, when a test asked for it). */
  store: ObjectStore;
  index: SearchIndex;
  /** What every stage receives. */
  deps: StageDeps;
  runner: JobRunner;
  /**
   * Copies every stored object to the replica (PINDAI_REPLICA_*); null without one. Not started:
   * `serve` and `worker` start its loop, one-shot commands drain it before they end.
   */
  replicator: Replicator | null;
  /** Another runner on the same parts (a second worker in one process; stopped by `close`). */
  newRunner(opts?: Partial<RunnerOptions>): JobRunner;
  accept(dir: string, opts: AcceptOptions): Promise<AcceptResult>;
  close(graceMs?: number): Promise<void>;
}

/** The opened backends a Pindai is composed of. */
export interface PindaiParts {
  register: Register;
  store: ObjectStore;
  index: SearchIndex;
  ocr: OcrEngine;
  log: Logger;
  /** The replica's store, when PINDAI_REPLICA_STORE is set (openReplicaStore). */
  replica?: ObjectStore;
}

/** What a test may change in the composition; the CLI uses none of it. */
export interface CompositionOptions {
  /** Wrap the store or index that intake and the stages use (fault tests); the real ones are closed. */
  wrapStore?: (s: ObjectStore) => ObjectStore;
  wrapIndex?: (i: SearchIndex) => SearchIndex;
  handlers?: StageHandlers;
  /** Runner options over the configured ones (PINDAI_JOB_CONCURRENCY). */
  runner?: Partial<RunnerOptions>;
}

/**
 * The one wiring of Pindai from opened parts: stage deps, the job runner, the batch entry and the
 * order things close in. `pindai` commands reach it through createPindai; tests through
 * test/support/test-app.ts, with their own OCR engine or wrapped backends.
 */
export function composePindai(config: Config, parts: PindaiParts, opts: CompositionOptions = {}): Pindai {
  const { register, ocr, log } = parts;
  const wrapped = opts.wrapStore ? opts.wrapStore(parts.store) : parts.store;
  // With a replica, every put is noted in the register's ledger, and the replicator copies it.
  const replicator =
    config.replica && parts.replica
      ? createReplicator({ ledger: register.replica, primary: parts.store, replica: parts.replica }, { log })
      : null;
  const store = replicator
    ? createReplicatedObjectStore(wrapped, register.replica, () => replicator.poke())
    : wrapped;
  const index = opts.wrapIndex ? opts.wrapIndex(parts.index) : parts.index;
  const ocrAhead = createOcrReadAhead(ocr, { maxInFlight: ocr.pagesInFlight ?? config.ocrWorkers });
  const deps: StageDeps = { register, store, index, ocr, config, log, ocrAhead };
  const runners: JobRunner[] = [];
  const newRunner = (r: Partial<RunnerOptions> = {}) => {
    const runner = createJobRunner(deps, opts.handlers ?? STAGE_HANDLERS, {
      concurrency: Math.max(1, config.jobConcurrency),
      leaseMs: config.jobLeaseMs,
      ...opts.runner,
      ...r,
    });
    runners.push(runner);
    return runner;
  };
  const runner = newRunner();
  // Built once: a bad PINDAI_NOMOR_TEMPLATE stops the start, not the first batch.
  const acceptDeps = acceptDepsOf(config, { register, store, probe: probeSource });
  return {
    config,
    log,
    register,
    store,
    index,
    deps,
    runner,
    replicator,
    newRunner,
    async accept(dir, acceptOpts) {
      const r = await acceptBatch(acceptDeps, dir, acceptOpts);
      runner.poke();
      return r;
    },
    async close(graceMs) {
      for (const r of runners) await r.stop(graceMs);
      await replicator?.stop();
      await ocr.close();
      await parts.index.close();
      await register.close();
    },
  };
}

/**
 * Compose the app: SQLite register, the configured object store (fs | s3) and search index
 * (embedded | meilisearch), and the OCR engine (PINDAI_OCR_ENGINE: native tesseract or tesseract.js).
 */
export async function createPindai(
  config: Config,
  opts: {
    log?: Logger;
    /**
     * `outbox`: this process has no search index of its own (a worker on another machine while the
     * collection uses the embedded index): index changes become outbox notes in the register,
     * applied by `pindai serve`, which holds the index.
     */
    indexVia?: 'direct' | 'outbox';
  } = {},
): Promise<Pindai> {
  const log = opts.log ?? createLogger(config.logLevel);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const register = await openConfiguredRegister(config);
  const store: ObjectStore = await openObjectStore(config);
  const index =
    opts.indexVia === 'outbox' ? createOutboxSearchIndex(register) : await openSearchIndex(config);
  const ocr = await selectOcrEngine({
    choice: config.ocrEngine,
    langs: config.ocrLangs,
    workers: config.ocrWorkers,
    timeoutMs: config.ocrTimeoutMs,
    langDir: config.tessdataDir,
    onResidentUnavailable: (why) =>
      log.warn({ why }, 'native OCR runs tesseract CLI processes instead of resident ones (slower)'),
  });
  // Loaded only when configured (it brings the S3 client, ~0.4 CPU s to load).
  const replica = config.replica
    ? (await import('../core/replica/replica-store.ts')).openReplicaStore(
        config.replica,
        path.join(config.dataDir, 'tmp', 's3-replica'),
      )
    : undefined;
  return composePindai(config, { register, store, index, ocr, log, ...(replica && { replica }) });
}
