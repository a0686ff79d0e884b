/**
 * OcrEngine on native tesseract (Debian: tesseract-ocr + tesseract-ocr-<lang>). About twice as fast
 * per CPU second as tesseract.js here. Single-threaded processes (OMP_THREAD_LIMIT=1: with OpenMP
 * on, tesseract is several times slower on a small machine), at most `processes` at once; hOCR is
 * parsed into our block tree. A page that outlives the per-page timeout is killed and resolves
 * empty with warning 'timeout'.
 *
 * Two ways to run it, the same text either way:
 * - resident (the default): one long-lived process per slot that loads the language models once and
 *   reads pages one at a time (native-tesseract-resident.ts, libtesseract through koffi);
 * - CLI processes (`tesseract` on PATH), used when a resident process cannot load the library or
 *   `resident` is false: loading the models costs each process ~0.13 CPU s, so when pages are
 *   waiting one process reads several in a row (a list of files).
 */
import { execFile, spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PindaiError } from '../../core/errors.ts';
import type { OcrEngine, OcrPageResult, RecognizeOptions } from '../../core/ocr.types.ts';
import { parseHocr } from './native-tesseract-hocr.ts';
import {
  closedError,
  type ResidentTesseract,
  ResidentUnavailableError,
  startResidentTesseract,
} from './native-tesseract-resident.ts';
import { type PreparedImage, prepareImage, toCallerPixels } from './tesseract-image.ts';
import { LSTM_ONLY_PARAMS } from './tesseract-params.ts';
import { MAX_TIMER_MS } from './timer-limit.ts';

const run = promisify(execFile);
/** hOCR of a dense page is ~200 KB; anything far beyond is not a page. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/**
 * CLI processes: most pages one reads in a row. Enough that the model load (~0.13 CPU s) is a few
 * per cent of the work; few enough that pages still spread over all processes near the end of an item.
 */
export const MAX_PAGES_PER_PROCESS = 6;
/**
 * CLI processes: a caller hands over its pages one by one within a few milliseconds (each read from
 * the store first): waiting this long before starting idle processes lets them share the pages out.
 * A resident process starts on a page at once.
 */
const GATHER_MS = 25;

export interface NativeTesseractOptions {
  /** Parallel tesseract processes; one per core. */
  processes: number;
  timeoutMs: number;
  /** Binary to run (default `tesseract` on PATH). */
  binary?: string;
  /** TESSDATA_PREFIX override; default: the binary's own (Debian: /usr/share/tesseract-ocr/5/tessdata). */
  tessdataDir?: string;
  /** Long-lived resident processes (default true); false: a CLI process per page or batch. */
  resident?: boolean;
  /** Pages a resident process reads before it is replaced (default 500). */
  recyclePages?: number;
  /** Told once, with the reason, when resident processes cannot run and CLI processes take over. */
  onResidentUnavailable?: (reason: string) => void;
}

export interface NativeTesseractInfo {
  version: string;
  langs: string[];
}

export interface NativeTesseractEngine extends OcrEngine {
  recognize(
    image: Buffer,
    langs: readonly string[],
    opts?: RecognizeOptions & { timeoutMs?: number },
  ): Promise<OcrPageResult>;
  /**
   * `running`: tesseract processes (or batches being prepared) now, at most `processes`; `reading`:
   * the pages they hold; `processes`: started so far; `resident`: whether pages go to long-lived
   * resident processes (false once one could not load the library; `residentUnavailable` says why).
   */
  stats(): {
    running: number;
    reading: number;
    queued: number;
    timeouts: number;
    pages: number;
    processes: number;
    resident: boolean;
    residentUnavailable: string | null;
  };
}

function childEnv(tessdataDir: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_THREAD_LIMIT: '1' };
  if (tessdataDir) env.TESSDATA_PREFIX = tessdataDir;
  return env;
}

/**
 * Version and installed languages of the native binary, or null when it is not installed or does
 * not run. Cheap (two short process runs); call once at start-up.
 */
export async function probeNativeTesseract(
  binary = 'tesseract',
  tessdataDir?: string,
): Promise<NativeTesseractInfo | null> {
  try {
    const env = childEnv(tessdataDir);
    const [v, l] = await Promise.all([
      run(binary, ['--version'], { env, timeout: 10_000 }),
      run(binary, ['--list-langs'], { env, timeout: 10_000 }),
    ]);
    const version = /tesseract\s+v?(\d+\.\d+[^\s]*)/i.exec(`${v.stdout}\n${v.stderr}`)?.[1] ?? '';
    const langs = `${l.stdout}`
      .split('\n')
      .slice(1)
      .map((s) => s.trim())
      .filter((s) => /^[A-Za-z_]+$/.test(s));
    return version ? { version, langs } : null;
  } catch {
    return null;
  }
}

/** Each page's part of a multi-page hOCR document (tesseract writes one `ocr_page` div per image). */
export function splitHocrPages(hocr: string): string[] {
  return hocr.split(/(?=<div class=['"]ocr_page['"])/).slice(1);
}

/** Folders of a batch's page files: `pindai-ocr-<pid>-<random>`, removed when the batch ends. */
const TEMP_PREFIX = 'pindai-ocr-';

/**
 * Removes the page files of batches whose process died before it could (killed mid-batch): folders
 * of processes that no longer run. Best effort; returns how many were removed.
 */
export async function removeOrphanedBatchFiles(tmp = os.tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await fsp.readdir(tmp).catch(() => [] as string[])) {
    const pid = Number(/^pindai-ocr-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    await fsp.rm(path.join(tmp, name), { recursive: true, force: true }).catch(() => undefined);
    removed++;
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Prepared {
  job: Job;
  prepared: PreparedImage;
}

interface Job {
  image: Buffer;
  langs: string[];
  timeoutMs: number;
  xHeightPx: number | null;
  resolve(r: OcrPageResult): void;
  reject(e: unknown): void;
}

export function createNativeTesseractEngine(
  opts: NativeTesseractOptions,
  info: NativeTesseractInfo,
): NativeTesseractEngine {
  if (!Number.isInteger(opts.processes) || opts.processes < 1)
    throw new RangeError('processes must be an integer ≥ 1');
  if (!(opts.timeoutMs > 0)) throw new RangeError('timeoutMs must be > 0');
  const binary = opts.binary ?? 'tesseract';
  const env = childEnv(opts.tessdataDir);
  void removeOrphanedBatchFiles();
  const queue: Job[] = [];
  const children = new Set<ReturnType<typeof spawn>>();
  const stats = { timeouts: 0, pages: 0, processes: 0 };
  let running = 0;
  let reading = 0;
  let gathering: NodeJS.Timeout | null = null;
  let closed = false;
  let residentUnavailable: string | null = null;
  const useResident = () => opts.resident !== false && residentUnavailable === null;
  const idleResidents: ResidentTesseract[] = [];
  const allResidents = new Set<ResidentTesseract>();
  const residentOptions = {
    env,
    params: { ...LSTM_ONLY_PARAMS, debug_file: '/dev/null' },
    maxOutputBytes: MAX_OUTPUT_BYTES,
    recycleAfterPages: opts.recyclePages,
    onSpawn: () => {
      stats.processes++;
    },
  };
  const engineId = (langs: readonly string[]) => `tesseract ${info.version} native ${langs.join('+')} psm3`;

  /**
   * Resolves with hOCR, or null on timeout (the process is killed). `input` is an image, or a list
   * of image files one per line (tesseract tells them apart by content).
   */
  function runTesseract(input: Buffer, langs: string[], timeoutMs: number): Promise<string | null> {
    if (closed) return Promise.reject(closedError());
    stats.processes++;
    return new Promise((resolve, reject) => {
      const args = ['stdin', 'stdout', '-l', langs.join('+'), '--oem', '1', '--psm', '3'];
      for (const [k, v] of Object.entries(LSTM_ONLY_PARAMS)) args.push('-c', `${k}=${v}`);
      args.push('-c', 'debug_file=/dev/null', 'hocr');
      const child = spawn(binary, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
      children.add(child);
      const out: Buffer[] = [];
      let outBytes = 0;
      let err = '';
      let timedOut = false;
      let tooBig = false;
      const timer = setTimeout(
        () => {
          timedOut = true;
          child.kill('SIGKILL');
        },
        Math.min(MAX_TIMER_MS, timeoutMs),
      );
      child.stdout.on('data', (d: Buffer) => {
        outBytes += d.length;
        if (outBytes > MAX_OUTPUT_BYTES) {
          tooBig = true;
          child.kill('SIGKILL');
        } else out.push(d);
      });
      child.stderr.on('data', (d: Buffer) => {
        if (err.length < 4000) err += d.toString();
      });
      // EPIPE when the child dies before reading everything; the exit code tells the story.
      child.stdin.on('error', () => undefined);
      child.on('error', (e) => {
        clearTimeout(timer);
        children.delete(child);
        reject(
          new PindaiError('ocr_failed', `cannot run ${binary}: ${e.message}`, { retryable: true, cause: e }),
        );
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        children.delete(child);
        if (timedOut) return resolve(null);
        if (closed) return reject(closedError());
        if (code === 0 && !tooBig) return resolve(Buffer.concat(out).toString('utf8'));
        const why = tooBig
          ? 'output too large'
          : `exit ${code ?? signal}: ${err.trim().split('\n').slice(-3).join(' | ')}`;
        // A crash (signal) may be transient; a non-zero exit on this image will repeat.
        reject(
          new PindaiError('ocr_failed', `tesseract failed on the page (${why})`, {
            retryable: code === null,
          }),
        );
      });
      child.stdin.end(input);
    });
  }

  /** The page made ready for tesseract, or null when it was rejected (language or image unusable). */
  async function prepare(job: Job): Promise<Prepared | null> {
    try {
      const missing = job.langs.filter((l) => !info.langs.includes(l));
      if (missing.length > 0) {
        throw new PindaiError(
          'ocr_lang_missing',
          `native tesseract has no language data for ${missing.join(', ')} (install tesseract-ocr-${missing[0]})`,
          { params: { lang: missing.join(', ') } },
        );
      }
      return {
        job,
        prepared: await prepareImage(job.image, { xHeightPx: job.xHeightPx }, { readsG4Tiff: true }),
      };
    } catch (e) {
      job.reject(e);
      return null;
    }
  }

  function settle({ job, prepared }: Prepared, hocr: string | null): void {
    stats.pages++;
    if (hocr === null) {
      stats.timeouts++;
      job.resolve({
        ...prepared.source,
        text: '',
        confidence: 0,
        blocks: [],
        warnings: ['timeout'],
        engine: engineId(job.langs),
      });
      return;
    }
    const size = { width: prepared.width, height: prepared.height };
    job.resolve(toCallerPixels(parseHocr(hocr, size, engineId(job.langs)), prepared));
  }

  async function runOne(p: Prepared): Promise<void> {
    try {
      const hocr = useResident() ? await onResident(p) : false;
      settle(p, hocr !== false ? hocr : await runTesseract(p.prepared.bytes, p.job.langs, p.job.timeoutMs));
    } catch (e) {
      p.job.reject(e);
    }
  }

  /**
   * The page's hOCR from a resident process (null on timeout), or false when they cannot run here:
   * from then on pages go to CLI processes.
   */
  async function onResident(p: Prepared): Promise<string | null | false> {
    if (closed) throw closedError();
    const tess = idleResidents.pop() ?? startResidentTesseract(residentOptions);
    allResidents.add(tess);
    try {
      return await tess.recognize(p.prepared.bytes, p.job.langs, p.job.timeoutMs);
    } catch (e) {
      if (!(e instanceof ResidentUnavailableError)) throw e;
      if (residentUnavailable === null) {
        residentUnavailable = e.message;
        opts.onResidentUnavailable?.(e.message);
      }
      return false;
    } finally {
      if (useResident() && !closed) idleResidents.push(tess);
      else {
        allResidents.delete(tess);
        void tess.close();
      }
    }
  }

  /**
   * Several pages (same languages) in one process. Anything unexpected (a timeout, a failure, a
   * page count that does not add up) and each page is run again on its own, so every page ends
   * exactly as it would alone: its own timeout, its own error.
   */
  async function runMany(pages: Prepared[]): Promise<void> {
    const first = pages[0] as Prepared;
    let dir: string | null = null;
    let hocrPages: string[] | null = null;
    try {
      dir = await fsp.mkdtemp(path.join(os.tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
      const files = pages.map((_, i) => path.join(dir as string, `p${i}`));
      await Promise.all(pages.map((p, i) => fsp.writeFile(files[i] as string, p.prepared.bytes)));
      const timeoutMs = pages.reduce((t, p) => t + p.job.timeoutMs, 0);
      const hocr = await runTesseract(Buffer.from(`${files.join('\n')}\n`), first.job.langs, timeoutMs);
      if (hocr !== null) hocrPages = splitHocrPages(hocr);
    } catch {
      // Each page alone, below (after close() that rejects them as closed).
    } finally {
      if (dir) await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
    if (hocrPages && hocrPages.length === pages.length) {
      for (const [i, p] of pages.entries()) settle(p, hocrPages[i] as string);
      return;
    }
    for (const p of pages) await runOne(p);
  }

  async function execute(jobs: Job[]): Promise<void> {
    const ready = (await Promise.all(jobs.map(prepare))).filter((p): p is Prepared => p !== null);
    if (ready.length === 1) await runOne(ready[0] as Prepared);
    else if (ready.length > 1) await runMany(ready);
  }

  /**
   * The next job and, when more are waiting than there are processes, others with the same
   * languages: a fair share of the queue, so the other processes get pages too.
   */
  function takeJobs(): Job[] {
    const job = queue.shift() as Job;
    // A resident process reads one page at a time with its models loaded: nothing to gain from a batch.
    if (useResident()) return [job];
    const take = Math.min(MAX_PAGES_PER_PROCESS, Math.ceil((queue.length + 1) / opts.processes));
    const jobs = [job];
    const key = job.langs.join('+');
    for (let i = 0; i < queue.length && jobs.length < take; ) {
      if ((queue[i] as Job).langs.join('+') === key) jobs.push(...queue.splice(i, 1));
      else i++;
    }
    return jobs;
  }

  function pump(): void {
    while (!closed && running < opts.processes && queue.length > 0) {
      const jobs = takeJobs();
      running++;
      reading += jobs.length;
      void execute(jobs).finally(() => {
        running--;
        reading -= jobs.length;
        pump();
      });
    }
  }

  return {
    name: 'tesseract-native',
    // Enough pages waiting that each CLI process can take a full batch (and a resident one never waits).
    pagesInFlight: opts.processes * MAX_PAGES_PER_PROCESS,
    recognize(image, langs, callOpts) {
      return new Promise<OcrPageResult>((resolve, reject) => {
        if (closed) return reject(closedError());
        if (langs.length === 0) {
          return reject(
            new PindaiError('ocr_lang_missing', 'no OCR language was given', { params: { lang: '' } }),
          );
        }
        queue.push({
          image,
          langs: [...langs],
          timeoutMs: callOpts?.timeoutMs ?? opts.timeoutMs,
          xHeightPx: callOpts?.xHeightPx ?? null,
          resolve,
          reject,
        });
        if (useResident()) pump();
        else if (running < opts.processes && !gathering) {
          gathering = setTimeout(() => {
            gathering = null;
            pump();
          }, GATHER_MS);
        }
      });
    },
    stats() {
      return {
        running,
        reading,
        queued: queue.length,
        ...stats,
        resident: useResident(),
        residentUnavailable,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      if (gathering) clearTimeout(gathering);
      for (const job of queue.splice(0)) job.reject(closedError());
      const exits = [...children].map((c) => new Promise<void>((r) => c.once('close', () => r())));
      for (const c of children) c.kill('SIGKILL');
      await Promise.all([...exits, ...[...allResidents].map((l) => l.close())]);
    },
  };
}
