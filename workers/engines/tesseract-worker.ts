import { fileURLToPath } from 'node:url';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import { PindaiError } from '../../core/errors.ts';
import { LSTM_ONLY_PARAMS } from './tesseract-params.ts';

const THREAD_SCRIPT = fileURLToPath(new URL('./tesseract-worker-thread.cjs', import.meta.url));

export interface SpawnedWorker {
  worker: Tesseract.Worker;
  /** The node:worker_threads Worker behind it (tesseract.js exposes it untyped as `worker.worker`). */
  thread: ThreadWorker;
}

/**
 * Starts one tesseract.js worker with `langs` loaded from `langDir`. Rejects with a retryable
 * PindaiError('ocr_failed') when setup fails or takes longer than `startTimeoutMs`.
 */
export async function spawnTesseractWorker(
  langs: readonly string[],
  langDir: string,
  startTimeoutMs: number,
): Promise<SpawnedWorker> {
  let failSetup: (err: unknown) => void = () => {};
  const setupFailed = new Promise<never>((_, reject) => {
    failSetup = reject;
  });
  const pending = Tesseract.createWorker(
    [...langs],
    Tesseract.OEM.LSTM_ONLY,
    {
      langPath: langDir,
      gzip: true,
      cacheMethod: 'none', // otherwise tesseract.js writes the unpacked traineddata into the cwd
      workerPath: THREAD_SCRIPT,
      // Without a handler tesseract.js rethrows job errors from its message listener (uncaught). During
      // setup it is also the only signal of failure: createWorker() itself may never settle.
      errorHandler: (data: unknown) => failSetup(data),
    },
    // Set at init, so no extra round trip. PSM 3 (AUTO) finds columns; tesseract's default single-block
    // mode reads straight across them. debug_file silences tesseract's per-page chatter ("Estimating
    // resolution as ..."); Leptonica errors still reach stderr. LSTM_ONLY_PARAMS: see there.
    [
      'tessedit_pageseg_mode 3',
      'debug_file /dev/null',
      ...Object.entries(LSTM_ONLY_PARAMS).map(([k, v]) => `${k} ${v}`),
    ].join('\n'),
  );
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('worker did not start in time')), startTimeoutMs);
  });
  try {
    const worker = await Promise.race([pending, setupFailed, timedOut]);
    return { worker, thread: (worker as unknown as { worker: ThreadWorker }).worker };
  } catch (err) {
    // A worker that still comes up after we gave up must not linger.
    void pending.then((w) => w.terminate()).catch(() => undefined);
    throw new PindaiError('ocr_failed', `tesseract worker failed to start: ${String(err)}`, {
      retryable: true,
      cause: err,
    });
  } finally {
    clearTimeout(timer);
  }
}
