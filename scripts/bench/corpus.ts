/** The bench corpus: batches of page images with per-page ground truth, and the peer subset. */
import fs from 'node:fs';
import path from 'node:path';
import { findBatches } from '../commands/ingest.command.ts';

export interface BenchPage {
  batch: string;
  /** 1-based page number within the batch. */
  pageNo: number;
  file: string;
  gt: string;
}

export interface BenchBatch {
  dir: string;
  name: string;
  pages: BenchPage[];
}

const PAGE_RE = /^page-(\d+)\.(jpe?g|png|tiff?)$/i;

export async function loadCorpus(dir: string): Promise<BenchBatch[]> {
  const batches: BenchBatch[] = [];
  for (const batchDir of await findBatches(dir)) {
    const name = path.basename(batchDir);
    const pages = fs
      .readdirSync(batchDir)
      .filter((f) => PAGE_RE.test(f))
      .sort()
      .map((f, i) => {
        const gtFile = path.join(batchDir, 'gt', f.replace(PAGE_RE, 'page-$1.txt'));
        return {
          batch: name,
          pageNo: i + 1,
          file: path.join(batchDir, f),
          gt: fs.existsSync(gtFile) ? fs.readFileSync(gtFile, 'utf8') : '',
        };
      });
    batches.push({ dir: batchDir, name, pages });
  }
  return batches;
}

/**
 * `n` pages taken round-robin across batches (so every layout and file format is represented), in
 * batch and page order. n ≥ all pages returns them all.
 */
export function peerSubset(batches: BenchBatch[], n: number): BenchPage[] {
  const chosen = new Set<BenchPage>();
  for (let round = 0; chosen.size < n; round++) {
    let added = false;
    for (const b of batches) {
      const p = b.pages[round];
      if (p && chosen.size < n) {
        chosen.add(p);
        added = true;
      }
    }
    if (!added) break;
  }
  return batches.flatMap((b) => b.pages.filter((p) => chosen.has(p)));
}
