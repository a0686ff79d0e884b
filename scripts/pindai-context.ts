import fs from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { parseNomorTemplate } from '../core/nomor-induk.ts';
import { createRegister, type Register } from '../core/register/register.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { type AcceptOptions, type AcceptResult, acceptBatch, acceptDepsOf } from '../ingest/accept-batch.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { selectOcrEngine } from '../workers/engines/ocr-engine-select.ts';
import { probeSource } from '../workers/engines/source-probe.ts';
import { createJobRunner, type JobRunner } from '../workers/job-runner.ts';
import type { StageDeps } from '../workers/stage.types.ts';
import { STAGE_HANDLERS } from '../workers/stage-handlers.ts';
import { openObjectStore, openSearchIndex } from './open-backends.ts';

export interface Pindai {
  config: Config;
  log: Logger;
  register: Register;
  store: ObjectStore;
  index: SearchIndex;
  runner: JobRunner;
  accept(dir: string, opts: AcceptOptions): Promise<AcceptResult>;
  close(graceMs?: number): Promise<void>;
}

/**
 * Compose the app: SQLite register, the configured object store (fs | s3) and search index
 * (embedded | meilisearch), and the OCR engine (PINDAI_OCR_ENGINE: native tesseract or tesseract.js).
 */
export async function createPindai(config: Config, opts: { log?: Logger } = {}): Promise<Pindai> {
  const log = opts.log ?? createLogger(config.logLevel);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const register = createRegister(config.registerPath);
  const store: ObjectStore = await openObjectStore(config);
  const index = await openSearchIndex(config);
  const ocr = await selectOcrEngine({
    choice: config.ocrEngine,
    langs: config.ocrLangs,
    workers: config.ocrWorkers,
    timeoutMs: config.ocrTimeoutMs,
    langDir: config.tessdataDir,
  });
  const deps: StageDeps = { register, store, index, ocr, config, log };
  const runner = createJobRunner(deps, STAGE_HANDLERS, { concurrency: config.jobConcurrency });
  // A bad PINDAI_NOMOR_TEMPLATE stops the start, not the first batch.
  parseNomorTemplate(config.nomorTemplate);
  return {
    config,
    log,
    register,
    store,
    index,
    runner,
    async accept(dir, acceptOpts) {
      const r = await acceptBatch(
        acceptDepsOf(config, { register, store, probe: probeSource }),
        dir,
        acceptOpts,
      );
      runner.poke();
      return r;
    },
    async close(graceMs) {
      await runner.stop(graceMs);
      await ocr.close();
      await index.close();
      register.close();
    },
  };
}
