/**
 * A resident tesseract: one long-lived native tesseract process (tesseract-resident.cjs, libtesseract's C API through
 * koffi) that reads pages one at a time. Its language models are loaded once instead of once per
 * tesseract CLI process (~0.13 CPU s each), and a page starts the moment it is handed over instead
 * of waiting for company in a batch. The text is the CLI's: same library, parameters and hOCR.
 *
 * A page that outlives its timeout kills the process (the next page starts a new one); a process
 * that dies mid-page fails that page as the CLI's crash would. When the process cannot load
 * koffi or the library at all, `recognize` rejects with ResidentUnavailableError and the engine falls
 * back to CLI processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { PindaiError } from '../../core/errors.ts';
import { MAX_TIMER_MS } from './timer-limit.ts';

const SCRIPT = path.join(import.meta.dirname, 'tesseract-resident.cjs');
/** Loading node, koffi and libtesseract takes well under a second; this is for a stuck machine. */
const START_TIMEOUT_MS = 60_000;
/**
 * A process is replaced after this many pages: whatever a long run might accumulate in it (tesseract
 * is meant to be reused, but nothing here depends on that) is dropped for one more model load.
 */
const RECYCLE_AFTER_PAGES = 500;

export class ResidentUnavailableError extends Error {}

export interface ResidentOptions {
  env: NodeJS.ProcessEnv;
  /** tesseract variables set after the models load (`-c name=value` on the CLI). */
  params: Readonly<Record<string, string>>;
  /** A reply longer than this kills the process (hOCR of a dense page is ~200 KB). */
  maxOutputBytes: number;
  /** Called each time a process is started. */
  onSpawn?: () => void;
  /** Pages a process reads before it is replaced (default 500). */
  recycleAfterPages?: number;
}

export interface ResidentTesseract {
  /**
   * The page's hOCR, or null when it outlived `timeoutMs` (the process is killed). One page at a
   * time: the engine hands it the next page only when the last one has settled.
   */
  recognize(image: Buffer, langs: readonly string[], timeoutMs: number): Promise<string | null>;
  /** The running process's id, or null when none runs (diagnostics). */
  pid(): number | null;
  close(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  /** Resolves when the process has said it is ready; rejects when it cannot run. */
  ready: Promise<void>;
  /** The reply to the page in flight, line by line as they arrive. */
  onLine: ((msg: Record<string, unknown>) => void) | null;
  onExit: ((code: number | null, signal: NodeJS.Signals | null) => void) | null;
  /** The last few KB it wrote to stderr (tesseract's own messages), for an error. */
  stderr: string;
  exited: Promise<void>;
  pages: number;
  /** It was killed for a reply longer than `maxOutputBytes`. */
  tooBig: boolean;
}

export function startResidentTesseract(opts: ResidentOptions): ResidentTesseract {
  let running: Running | null = null;
  let nextId = 1;
  let closed = false;

  function start(): Running {
    opts.onSpawn?.();
    const child = spawn(process.execPath, [SCRIPT], {
      env: { ...opts.env, PINDAI_TESSERACT_PARAMS: JSON.stringify(opts.params) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let exitResolve!: () => void;
    const r: Running = {
      child,
      ready: Promise.resolve(),
      onLine: null,
      onExit: null,
      stderr: '',
      exited: new Promise<void>((res) => {
        exitResolve = res;
      }),
      pages: 0,
      tooBig: false,
    };
    let pending = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      let from = 0;
      for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
        const line = pending + chunk.slice(from, nl);
        pending = '';
        from = nl + 1;
        if (line.length > opts.maxOutputBytes) {
          r.tooBig = true; // not a page's hOCR: the page fails with the process's exit
          child.kill('SIGKILL');
          return;
        }
        try {
          r.onLine?.(JSON.parse(line) as Record<string, unknown>);
        } catch {
          child.kill('SIGKILL'); // not our protocol: nothing it says can be trusted
        }
      }
      pending += chunk.slice(from);
      if (pending.length > opts.maxOutputBytes) {
        r.tooBig = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      r.stderr = (r.stderr + d.toString()).slice(-4000);
    });
    // EPIPE when the child dies before reading a page; its exit tells the story.
    child.stdin?.on('error', () => undefined);
    child.once('close', (code, signal) => {
      if (running === r) running = null;
      exitResolve();
      r.onExit?.(code, signal);
    });
    r.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        r.onLine = null;
        r.onExit = null;
      };
      r.onLine = (msg) => {
        done();
        if (msg.ready === true) resolve();
        else {
          reject(new ResidentUnavailableError(String(msg.unavailable ?? 'unexpected start-up message')));
        }
      };
      r.onExit = (code, signal) => {
        done();
        const why = `exit ${code ?? signal} before it was ready: ${tail(r.stderr)}`;
        reject(new ResidentUnavailableError(why));
      };
      child.once('error', (e) => {
        done();
        reject(new ResidentUnavailableError(`cannot start ${process.execPath}: ${e.message}`));
      });
    });
    return r;
  }

  async function recognize(
    image: Buffer,
    langs: readonly string[],
    timeoutMs: number,
  ): Promise<string | null> {
    if (closed) throw closedError();
    if (running && running.pages >= (opts.recycleAfterPages ?? RECYCLE_AFTER_PAGES)) {
      running.child.stdin?.end(); // it exits when its input ends
      running = null;
    }
    running ??= start();
    const r = running;
    await r.ready;
    // Killed since it said it was ready (a timeout of the page before): start another.
    if (r.child.exitCode !== null || r.child.signalCode !== null) {
      if (running === r) running = null;
      return recognize(image, langs, timeoutMs);
    }
    const id = nextId++;
    r.pages++;
    return new Promise<string | null>((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(
        () => {
          timedOut = true;
          r.child.kill('SIGKILL');
        },
        Math.min(MAX_TIMER_MS, timeoutMs),
      );
      const done = () => {
        clearTimeout(timer);
        r.onLine = null;
        r.onExit = null;
      };
      r.onLine = (msg) => {
        if (msg.id !== id) return;
        done();
        if (typeof msg.hocr === 'string') resolve(msg.hocr);
        else {
          // The image or the recogniser failed on this page; the process itself is fine.
          const why = typeof msg.error === 'string' ? msg.error : 'no reply';
          reject(
            new PindaiError('ocr_failed', `tesseract failed on the page (${why})`, { retryable: false }),
          );
        }
      };
      r.onExit = (code, signal) => {
        done();
        if (timedOut) return resolve(null);
        if (closed) return reject(closedError());
        // A reply too large would be too large again; a crash (signal) may be transient.
        const why = r.tooBig ? 'output too large' : `exit ${code ?? signal}: ${tail(r.stderr)}`;
        reject(
          new PindaiError('ocr_failed', `tesseract failed on the page (${why})`, { retryable: !r.tooBig }),
        );
      };
      r.child.stdin?.write(
        `${JSON.stringify({ id, langs: langs.join('+'), image: image.toString('base64') })}\n`,
      );
    });
  }

  return {
    recognize,
    pid: () => running?.child.pid ?? null,
    async close() {
      closed = true;
      const r = running;
      if (!r) return;
      r.child.kill('SIGKILL');
      await r.exited;
    },
  };
}

function tail(stderr: string): string {
  return stderr.trim().split('\n').slice(-3).join(' | ');
}

export const closedError = () =>
  new PindaiError('ocr_failed', 'OCR engine was closed before the page was recognised', { retryable: true });
