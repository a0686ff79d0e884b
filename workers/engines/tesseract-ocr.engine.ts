import { createRequire } from 'node:module';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import type Tesseract from 'tesseract.js';
import { PindaiError } from '../../core/errors.ts';
import type { OcrEngine, OcrPageResult, RecognizeOptions } from '../../core/ocr.types.ts';
import { prepareImage, toCallerPixels } from './tesseract-image.ts';
import { ensureLangFiles, LANG_DATA_VARIANT } from './tesseract-lang-data.ts';
import { emptyPageResult, toPageResult } from './tesseract-result.ts';
import { spawnTesseractWorker } from './tesseract-worker.ts';
import { MAX_TIMER_MS } from './timer-limit.ts';

export { resolveLangFile } from './tesseract-lang-data.ts';

export interface TesseractEngineOptions {
  /** Parallel tesseract.js worker threads; more than the CPU cores buys nothing. */
  workers: number;
  /** Per page; a page that takes longer resolves empty with warning 'timeout' and its worker is replaced. */
  timeoutMs: number;
  /** Writable folder where the traineddata of every language is placed side by side. */
  langDir: string;
  /** Replace a worker after this many pages to bound memory growth (default 200). */
  recycleAfterPages?: number;
}

export interface TesseractEngineStats {
  workersStarted: number;
  workersAlive: number;
  recycled: number;
  timeouts: number;
  crashes: number;
  running: number;
  queued: number;
}

export interface TesseractOcrEngine extends OcrEngine {
  /** `timeoutMs` overrides the engine's per-page timeout for this page (e.g. a retry with more time). */
  recognize(
    image: Buffer,
    langs: readonly string[],
    opts?: RecognizeOptions & { timeoutMs?: number },
  ): Promise<OcrPageResult>;
  stats(): TesseractEngineStats;
}

const require = createRequire(import.meta.url);
const TESSERACT_JS_VERSION: string = require('tesseract.js/package.json').version;
// Creating a worker takes well under a second; this only bounds a thread that died while loading.
const MIN_START_TIMEOUT_MS = 30_000;

interface Job {
  image: Buffer;
  langs: string[];
  timeoutMs: number;
  xHeightPx: number | null;
  settled: boolean;
  resolve(result: OcrPageResult): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Tesseract.Worker | null;
  thread: ThreadWorker | null;
  langsKey: string;
  pages: number;
  job: Job | null;
  /** Set while a page is being recognised: called when the thread dies under it. */
  onDeath: ((err: PindaiError) => void) | null;
}

const closedError = () =>
  new PindaiError('ocr_failed', 'OCR engine was closed before the page was recognised', { retryable: true });

function settle(job: Job, outcome: { result: OcrPageResult } | { error: unknown }): void {
  if (job.settled) return;
  job.settled = true;
  if ('result' in outcome) job.resolve(outcome.result);
  else job.reject(outcome.error);
}

/**
 * OCR with tesseract.js in a small pool of worker threads. Workers are created on first need, keep
 * their language data loaded between pages, and are replaced after a timeout, a crash, a failed page,
 * `recycleAfterPages` pages, or when a page asks for other languages.
 */
export function createTesseractEngine(opts: TesseractEngineOptions): TesseractOcrEngine {
  if (!Number.isInteger(opts.workers) || opts.workers < 1)
    throw new RangeError('workers must be an integer ≥ 1');
  if (!(opts.timeoutMs > 0)) throw new RangeError('timeoutMs must be > 0');
  const recycleAfter = opts.recycleAfterPages ?? 200;
  if (!(recycleAfter >= 1)) throw new RangeError('recycleAfterPages must be ≥ 1');

  const slots: Slot[] = Array.from({ length: opts.workers }, () => ({
    worker: null,
    thread: null,
    langsKey: '',
    pages: 0,
    job: null,
    onDeath: null,
  }));
  const queue: Job[] = [];
  const langFiles = new Map<string, Promise<void>>();
  const creating = new Set<Promise<unknown>>();
  const terminating = new Set<Promise<unknown>>();
  const stats = { workersStarted: 0, recycled: 0, timeouts: 0, crashes: 0 };
  let tesseractVersion = '';
  let closed = false;

  const engineId = (langs: readonly string[]) =>
    `tesseract.js ${TESSERACT_JS_VERSION}${tesseractVersion ? ` (tesseract ${tesseractVersion})` : ''}` +
    ` ${langs.join('+')} ${LANG_DATA_VARIANT} psm3`;

  function langsReady(langs: readonly string[]): Promise<void> {
    return Promise.all(
      langs.map((lang) => {
        let p = langFiles.get(lang);
        if (!p) {
          p = ensureLangFiles(opts.langDir, [lang]);
          langFiles.set(lang, p);
          p.catch(() => langFiles.delete(lang)); // let a later page retry, e.g. once the package is installed
        }
        return p;
      }),
    ).then(() => undefined);
  }

  function retire(slot: Slot, reason?: PindaiError): void {
    const thread = slot.thread;
    slot.worker = null;
    slot.thread = null;
    slot.pages = 0;
    if (reason) slot.onDeath?.(reason);
    if (!thread) return;
    // Terminating ourselves: the 'exit' listener sees slot.thread !== thread and ignores it.
    track(terminating, thread.terminate());
  }

  function track(set: Set<Promise<unknown>>, p: Promise<unknown>): void {
    const quiet = p.catch(() => undefined);
    set.add(quiet);
    void quiet.finally(() => set.delete(quiet));
  }

  /** Starts a tesseract.js worker with `langs` loaded and binds it to `slot`. */
  async function startWorker(slot: Slot, langs: string[]): Promise<Tesseract.Worker> {
    if (closed) throw closedError();
    const startTimeoutMs = Math.min(MAX_TIMER_MS, Math.max(MIN_START_TIMEOUT_MS, opts.timeoutMs));
    const { worker, thread } = await spawnTesseractWorker(langs, opts.langDir, startTimeoutMs);
    stats.workersStarted++;
    if (closed) {
      await thread.terminate();
      throw closedError();
    }

    let detail = '';
    thread.on('message', (msg: { pindaiThreadError?: string } | null) => {
      if (msg?.pindaiThreadError) detail = msg.pindaiThreadError.split('\n')[0] ?? '';
    });
    thread.on('error', (err) => {
      detail = err.message;
    });
    thread.on('exit', (code) => {
      if (slot.thread !== thread) return; // retired by us
      stats.crashes++;
      const why = `tesseract worker thread exited unexpectedly (code ${code})${detail ? `: ${detail}` : ''}`;
      retire(slot, new PindaiError('ocr_failed', why, { retryable: true }));
    });
    slot.worker = worker;
    slot.thread = thread;
    slot.langsKey = langs.join('+');
    slot.pages = 0;
    return worker;
  }

  async function workerFor(slot: Slot, langs: string[]): Promise<Tesseract.Worker> {
    // Before touching the current worker, so a page asking for a missing language costs nothing.
    await langsReady(langs);
    // Changing languages is rare; a fresh worker is simpler than reinitialize(), which drops parameters.
    if (slot.worker && slot.langsKey !== langs.join('+')) retire(slot);
    if (slot.worker) return slot.worker;
    const starting = startWorker(slot, langs);
    track(creating, starting);
    return starting;
  }

  /** Resolves with tesseract's page, or null when the timeout fired (the worker is then retired). */
  function recognizeOnce(slot: Slot, worker: Tesseract.Worker, image: Buffer, timeoutMs: number) {
    return new Promise<Tesseract.Page | null>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        slot.onDeath = null;
      };
      const timer = setTimeout(
        () => {
          finish();
          stats.timeouts++;
          retire(slot); // the only way to stop a running recognition
          resolve(null);
        },
        Math.min(MAX_TIMER_MS, timeoutMs),
      );
      slot.onDeath = (err) => {
        finish();
        reject(err);
      };
      // Text is rebuilt from the blocks, so tesseract's separate text output is not requested.
      worker.recognize(image, {}, { blocks: true, text: false }).then(
        (r) => {
          finish();
          resolve(r.data);
        },
        (data: unknown) => {
          finish();
          // The page failed inside tesseract; its wasm state is suspect after that.
          if (slot.worker === worker) retire(slot);
          reject(new PindaiError('ocr_failed', `tesseract could not recognise the page: ${String(data)}`));
        },
      );
    });
  }

  async function run(slot: Slot, job: Job): Promise<void> {
    try {
      const prepared = await prepareImage(job.image, { xHeightPx: job.xHeightPx });
      if (job.settled) return;
      const worker = await workerFor(slot, job.langs);
      if (job.settled) return;
      const page = await recognizeOnce(slot, worker, prepared.bytes, job.timeoutMs);
      if (page === null) {
        settle(job, { result: emptyPageResult(prepared.source, engineId(job.langs), ['timeout']) });
        return;
      }
      if (page.version) tesseractVersion = page.version;
      const size = { width: prepared.width, height: prepared.height };
      settle(job, { result: toCallerPixels(toPageResult(page, size, engineId(job.langs)), prepared) });
      if (slot.worker === worker && ++slot.pages >= recycleAfter) {
        stats.recycled++;
        retire(slot);
      }
    } catch (err) {
      settle(job, { error: err });
    }
  }

  function pump(): void {
    for (const slot of slots) {
      if (closed || queue.length === 0) return;
      if (slot.job) continue;
      const job = queue.shift() as Job;
      slot.job = job;
      void run(slot, job).finally(() => {
        slot.job = null;
        pump();
      });
    }
  }

  return {
    name: 'tesseract.js',

    recognize(image, langs, callOpts) {
      return new Promise<OcrPageResult>((resolve, reject) => {
        if (closed) return reject(closedError());
        if (langs.length === 0) {
          return reject(
            new PindaiError('ocr_lang_missing', 'no OCR language was given', { params: { lang: '' } }),
          );
        }
        const timeoutMs = callOpts?.timeoutMs ?? opts.timeoutMs;
        queue.push({
          image,
          langs: [...langs],
          timeoutMs,
          xHeightPx: callOpts?.xHeightPx ?? null,
          settled: false,
          resolve,
          reject,
        });
        pump();
      });
    },

    stats() {
      return {
        ...stats,
        workersAlive: slots.filter((s) => s.thread).length,
        running: slots.filter((s) => s.job).length,
        queued: queue.length,
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const job of queue.splice(0)) settle(job, { error: closedError() });
      for (const slot of slots) {
        if (slot.job) settle(slot.job, { error: closedError() });
        retire(slot, closedError());
      }
      // Workers still starting are terminated by startWorker() once they are up; wait for that too.
      await Promise.allSettled([...creating]);
      await Promise.allSettled([...terminating]);
    },
  };
}
