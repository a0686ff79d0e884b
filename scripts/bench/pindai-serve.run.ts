/**
 * Pindai end to end through the real service: the corpus is dropped into the inbox of a fresh
 * `pindai serve` (default settings, quiet period shortened) and timed from spawn until every item
 * has settled (the register is looked at every 100 ms). Memory of the service and its OCR processes
 * is sampled throughout.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../core/config.ts';
import { createRegister } from '../../core/register/register.ts';
import { keys } from '../../core/store/keys.ts';
import { openObjectStore } from '../open-backends.ts';
import type { BenchBatch } from './corpus.ts';
import { sampleMemory } from './process-memory.ts';

export interface PindaiPageResult {
  batch: string;
  pageNo: number;
  /** Path of the item's PDF (kept until the bench ends). */
  pdf: string;
  /** Pindai's own OCR text of the page. */
  ocrText: string;
  /** The clean stage's access image (what OCR read), written out for the re-OCR comparison. */
  cleanImage: string;
}

export interface PindaiRun {
  pages: number;
  wallSeconds: number;
  stageSecondsPerPage: { stage: string; seconds: number }[];
  ocrEngine: string;
  items: { batch: string; status: string; pages: number; pdfBytes: number; error: string | null }[];
  pageResults: PindaiPageResult[];
  serveOwnPeakBytes: number;
  serveTreeMaxBytes: number;
  dataDir: string;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function runPindaiServe(batches: BenchBatch[], env: NodeJS.ProcessEnv = {}): Promise<PindaiRun> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-bench-'));
  const inbox = path.join(dataDir, 'inbox');
  fs.mkdirSync(inbox, { recursive: true });
  for (const b of batches) fs.cpSync(b.dir, path.join(inbox, b.name), { recursive: true });
  const childEnv = {
    ...process.env,
    ...env,
    PINDAI_DATA_DIR: dataDir,
    PINDAI_PORT: '0',
    PINDAI_QUIET_SECONDS: '0.5',
    PINDAI_LOG_LEVEL: 'warn',
  };
  const config = loadConfig(childEnv);

  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/pindai.js'), 'serve'], {
    env: childEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const memory = sampleMemory(child.pid as number);

  // Settled = every batch became an item that is available or failed.
  let db: Database.Database | null = null;
  try {
    for (;;) {
      const code = await Promise.race([exited, new Promise<'wait'>((r) => setTimeout(() => r('wait'), 100))]);
      if (code !== 'wait') throw new Error(`pindai serve exited early (${code}): ${stderr.slice(-2000)}`);
      if (!db && fs.existsSync(config.registerPath))
        db = new Database(config.registerPath, { readonly: true });
      if (!db) continue;
      try {
        const row = db
          .prepare(`SELECT count(*) AS n, sum(status IN ('available', 'failed')) AS settled FROM items`)
          .get() as { n: number; settled: number | null };
        if (row.n >= batches.length && (row.settled ?? 0) === row.n) break;
      } catch {
        // schema not created yet
      }
    }
  } finally {
    db?.close();
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  memory.tick();
  child.kill('SIGTERM');
  await exited;
  const mem = memory.stop();

  const register = createRegister(config.registerPath);
  const store = await openObjectStore(config);
  const items: PindaiRun['items'] = [];
  const pageResults: PindaiPageResult[] = [];
  let pages = 0;
  let ocrEngine = '';
  for (const item of await register.items.list({ limit: 10_000 })) {
    const batch = item.sourceName ?? item.title;
    items.push({
      batch,
      status: item.status,
      pages: item.pageCount,
      pdfBytes: item.pdfBytes ?? 0,
      error: item.errorMessage ?? null,
    });
    pages += item.pageCount;
    if (!item.pdfKey) continue;
    const pdf = path.join(dataDir, `${item.id}.pdf`);
    fs.writeFileSync(pdf, await store.getBuffer(item.pdfKey));
    for (let p = 1; p <= item.pageCount; p++) {
      const ocrText = (await store.getBuffer(keys.ocrText(item.id, p))).toString('utf8');
      if (!ocrEngine) {
        ocrEngine = (
          JSON.parse((await store.getBuffer(keys.ocrJson(item.id, p))).toString()) as { engine: string }
        ).engine;
      }
      const cleanImage = path.join(dataDir, `${item.id}-p${p}.jpg`);
      fs.writeFileSync(cleanImage, await store.getBuffer(keys.access(item.id, p)));
      pageResults.push({ batch, pageNo: p, pdf, ocrText, cleanImage });
    }
  }
  const stageSecondsPerPage = (await register.runs.stageTotals()).map((s) => ({
    stage: s.stage,
    seconds: s.totalMs / 1000 / Math.max(1, pages),
  }));
  await register.close();
  return {
    pages,
    wallSeconds,
    stageSecondsPerPage,
    ocrEngine,
    items,
    pageResults,
    serveOwnPeakBytes: mem.ownPeakBytes,
    serveTreeMaxBytes: mem.treeMaxBytes,
    dataDir,
  };
}
