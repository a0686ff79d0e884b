/**
 * The end-to-end half of `npm run bench:scale`: the same corpus batches through the whole
 * pipeline (`pindai ingest`: intake, clean, OCR, PDF, publish; real OCR), once on the embedded
 * SQLite register and once on a PostgreSQL register, with the same store and index kind, so the
 * difference is what the register costs a real job. Pages per hour of wall time.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface E2eResult {
  register: 'SQLite' | 'PostgreSQL';
  pages: number;
  seconds: number;
}

const BIN = path.resolve(import.meta.dirname, '../../bin/pindai.js');

/** Copies of the first `n` corpus batches (or all) into `dest`, for `pindai ingest`. */
export function stageCorpus(corpusDir: string, dest: string, n: number): number {
  const names = fs
    .readdirSync(corpusDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .slice(0, n);
  let pages = 0;
  for (const name of names) {
    const to = path.join(dest, name);
    fs.mkdirSync(to, { recursive: true });
    for (const f of fs.readdirSync(path.join(corpusDir, name), { withFileTypes: true })) {
      if (!f.isFile()) continue;
      fs.copyFileSync(path.join(corpusDir, name, f.name), path.join(to, f.name));
      if (/\.(png|jpe?g|tiff?)$/i.test(f.name)) pages++;
    }
  }
  return pages;
}

export async function runIngest(
  register: E2eResult['register'],
  batches: string,
  dataDir: string,
  env: Record<string, string>,
): Promise<E2eResult> {
  const t0 = performance.now();
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'ingest', batches, '--json', '--data', dataDir], {
      env: { ...process.env, PINDAI_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`ingest exited ${code}`))));
  });
  const seconds = (performance.now() - t0) / 1000;
  const items = (JSON.parse(out) as { items: { pages: number; status: string }[] }).items;
  if (items.some((i) => i.status !== 'available')) throw new Error(`${register}: not every item available`);
  return { register, pages: items.reduce((n, i) => n + i.pages, 0), seconds };
}
