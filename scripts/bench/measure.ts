/** Shared bench helpers: CER over many pages, pdftotext, percentiles, bounded parallel runs. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { cer, normalizeForCer } from '../../test/support/cer.ts';

export const run = promisify(execFile);

/** Accumulates a character-weighted CER over pages (edits / reference characters). */
export class CerTally {
  private edits = 0;
  private chars = 0;
  add(reference: string, hypothesis: string): number {
    const n = Math.max(1, normalizeForCer(reference).length);
    const c = cer(reference, hypothesis);
    this.edits += c * n;
    this.chars += n;
    return c;
  }
  get value(): number {
    return this.chars ? this.edits / this.chars : Number.NaN;
  }
}

export async function pdfText(pdf: string, page: number, raw: boolean): Promise<string> {
  const args = ['-f', String(page), '-l', String(page), ...(raw ? ['-raw'] : []), pdf, '-'];
  return (await run('pdftotext', args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i] as number;
}

export const median = (values: number[]) => {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export const pagesPerHour = (pages: number, seconds: number) => (seconds > 0 ? (pages * 3600) / seconds : 0);

/** Native tesseract as a library would run it bare: single-threaded, plain text out. */
export async function nativeOcrText(image: string): Promise<string> {
  const env = { ...process.env, OMP_THREAD_LIMIT: '1' };
  const { stdout } = await run('tesseract', [image, 'stdout', '-l', 'ind+eng', '--psm', '3'], {
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/**
 * CPU seconds used so far by this process's waited-for child processes and their descendants
 * (/proc/self/stat cutime + cstime; Linux). Deltas around a phase give its CPU cost, which other
 * load on the machine inflates far less than wall time.
 */
export function childCpuSeconds(): number {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the ")" field 3 is index 0, so cutime (16) and cstime (17) are at 13 and 14.
    return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
const CLOCK_TICKS = 100;

/** CPU seconds (utime + stime) a running process has used itself, not counting its children; null once gone. */
export function procCpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime (14) and stime (15) are at 11 and 12 after the ")".
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
