import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import type { OcrEngine } from '../../core/ocr.types.ts';
import { createRegister } from '../../core/register/register.ts';
import { openReplicaStore } from '../../core/replica/replica-store.ts';
import { createFsObjectStore } from '../../core/store/fs.object-store.ts';
import type { AcceptOptions, AcceptResult } from '../../ingest/accept-batch.ts';
import { type CompositionOptions, composePindai, type Pindai } from '../../scripts/pindai-context.ts';
import { createEmbeddedSearchIndex } from '../../search/embedded.search-index.ts';
import { createFakeOcr } from './fake-ocr.ts';
import { OCR_ENV } from './ocr-env.ts';

export interface TestApp extends Omit<Pindai, 'accept' | 'close'> {
  /** Accept a batch as the watched inbox does (moved to the archive or to gagal/). */
  accept(dir: string, opts?: Partial<AcceptOptions>): Promise<AcceptResult>;
  close(): Promise<void>;
}

/**
 * The CLI's own composition (scripts/pindai-context.ts) on the embedded default, with what a test
 * puts in: its own OcrEngine (a fast fake unless given), wrapped store or index, stage handlers,
 * quicker runner timings. Register, store, index, sharp and pdf-lib stay real.
 */
export function createTestApp(
  dataDir: string,
  opts: { env?: Record<string, string>; ocr?: OcrEngine } & CompositionOptions = {},
): TestApp {
  fs.mkdirSync(dataDir, { recursive: true });
  const config = loadConfig({ PINDAI_DATA_DIR: dataDir, PINDAI_OCR_WORKERS: '1', ...OCR_ENV, ...opts.env });
  const { env: _env, ocr, runner, ...composition } = opts;
  const app = composePindai(
    config,
    {
      register: createRegister(config.registerPath),
      store: createFsObjectStore(config.storeDir),
      index: createEmbeddedSearchIndex(config.indexPath),
      ocr: ocr ?? createFakeOcr(),
      log: createLogger('silent'),
      ...(config.replica && {
        replica: openReplicaStore(config.replica, path.join(config.dataDir, 'tmp', 's3-replica')),
      }),
    },
    { ...composition, runner: { concurrency: 2, pollMs: 50, backoffBaseMs: 100, ...runner } },
  );
  return {
    ...app,
    accept: (dir, a = {}) =>
      app.accept(dir, {
        intake: 'watch',
        disposition: { kind: 'move', archiveDir: config.archiveDir, failedDir: config.failedDir },
        ...a,
      }),
    close: () => app.close(1000),
  };
}

/** Write a batch folder of ready-made files into `root/name`. */
export function writeFiles(root: string, name: string, files: Record<string, Buffer | string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), data);
  return dir;
}
