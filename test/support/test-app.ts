import fs from 'node:fs';
import path from 'node:path';
import { type Config, loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import type { OcrEngine } from '../../core/ocr.types.ts';
import { createRegister, type Register } from '../../core/register/register.ts';
import { createFsObjectStore } from '../../core/store/fs.object-store.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import {
  type AcceptOptions,
  type AcceptResult,
  acceptBatch,
  acceptDepsOf,
} from '../../ingest/accept-batch.ts';
import { createEmbeddedSearchIndex } from '../../search/embedded.search-index.ts';
import type { SearchIndex } from '../../search/search-index.ts';
import { probeSource } from '../../workers/engines/source-probe.ts';
import { createJobRunner, type JobRunner, type RunnerOptions } from '../../workers/job-runner.ts';
import type { StageDeps, StageHandlers } from '../../workers/stage.types.ts';
import { STAGE_HANDLERS } from '../../workers/stage-handlers.ts';
import { createFakeOcr } from './fake-ocr.ts';
import { OCR_ENV } from './ocr-env.ts';

export interface TestApp {
  config: Config;
  register: Register;
  store: ObjectStore;
  index: SearchIndex;
  deps: StageDeps;
  runner: JobRunner;
  accept(dir: string, opts?: Partial<AcceptOptions>): Promise<AcceptResult>;
  newRunner(opts?: Partial<RunnerOptions>): JobRunner;
  close(): Promise<void>;
}

/**
 * The embedded default wired by hand, so a test can put its own OcrEngine, or failing wrappers
 * of the object store and search index, in place of the real ones. Register, store, index, sharp
 * and pdf-lib stay real.
 */
export function createTestApp(
  dataDir: string,
  opts: {
    env?: Record<string, string>;
    ocr?: OcrEngine;
    wrapStore?: (s: ObjectStore) => ObjectStore;
    wrapIndex?: (i: SearchIndex) => SearchIndex;
    handlers?: StageHandlers;
    runner?: Partial<RunnerOptions>;
  } = {},
): TestApp {
  fs.mkdirSync(dataDir, { recursive: true });
  const config = loadConfig({ PINDAI_DATA_DIR: dataDir, PINDAI_OCR_WORKERS: '1', ...OCR_ENV, ...opts.env });
  const register = createRegister(config.registerPath);
  const realStore = createFsObjectStore(config.storeDir);
  const store = opts.wrapStore ? opts.wrapStore(realStore) : realStore;
  const realIndex = createEmbeddedSearchIndex(config.indexPath);
  const index = opts.wrapIndex ? opts.wrapIndex(realIndex) : realIndex;
  const ocr = opts.ocr ?? createFakeOcr();
  const deps: StageDeps = { register, store, index, ocr, config, log: createLogger('silent') };
  const runners: JobRunner[] = [];
  const newRunner = (r: Partial<RunnerOptions> = {}) => {
    const runner = createJobRunner(deps, opts.handlers ?? STAGE_HANDLERS, {
      concurrency: 2,
      pollMs: 50,
      backoffBaseMs: 100,
      ...opts.runner,
      ...r,
    });
    runners.push(runner);
    return runner;
  };
  const runner = newRunner();
  return {
    config,
    register,
    store,
    index,
    deps,
    runner,
    newRunner,
    accept: (dir, a = {}) =>
      acceptBatch(acceptDepsOf(config, { register, store, probe: probeSource }), dir, {
        intake: 'watch',
        disposition: { kind: 'move', archiveDir: config.archiveDir, failedDir: config.failedDir },
        ...a,
      }),
    async close() {
      for (const r of runners) await r.stop(1000);
      await ocr.close();
      await realIndex.close();
      register.close();
    },
  };
}

/** Write a batch folder of ready-made files into `root/name`. */
export function writeFiles(root: string, name: string, files: Record<string, Buffer | string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), data);
  return dir;
}
