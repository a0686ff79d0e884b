import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { orderBy } from 'natural-orderby';
import {
  isIgnoredName,
  isMarkerName,
  METADATA_FILE,
  PAGE_EXTENSIONS,
  REASON_FILE,
  RECEIPT_FILE,
} from './ignore-rules.ts';

export interface BatchEntryProblem {
  file: string;
  detail: string;
}

export interface BatchScan {
  /** Page image file names in page order (natural order: p2 before p10). Exact names as on disk. */
  pageFiles: string[];
  /** Names of the metadata sidecar as on disk (`metadata.json`, `Metadata.JSON`); two is ambiguous. */
  metadataFiles: string[];
  hasMarker: boolean;
  /** Entries refused for safety (symlinks, FIFOs, devices): never read. */
  unsafe: BatchEntryProblem[];
  /** Regular files that are neither pages, metadata, markers nor ignored system files. */
  otherFiles: string[];
}

/**
 * List a batch folder without following links or reading anything outside it. Only regular files
 * directly inside the folder are considered; sub-folders (e.g. `gt/`) are not part of a batch.
 */
export async function scanBatch(dir: string): Promise<BatchScan> {
  const entries = await fsp.readdir(dir, { withFileTypes: true });
  const pages: string[] = [];
  const scan: BatchScan = { pageFiles: [], metadataFiles: [], hasMarker: false, unsafe: [], otherFiles: [] };
  for (const e of entries) {
    const name = e.name;
    if (isIgnoredName(name)) continue;
    if (isMarkerName(name)) {
      scan.hasMarker = true;
      continue;
    }
    if (name === RECEIPT_FILE || name === REASON_FILE) continue;
    if (e.isSymbolicLink()) {
      scan.unsafe.push({ file: name, detail: 'symlink' });
      continue;
    }
    if (e.isDirectory()) continue;
    if (!e.isFile()) {
      scan.unsafe.push({ file: name, detail: e.isFIFO() ? 'FIFO' : 'not a regular file' });
      continue;
    }
    if (name.toLowerCase() === METADATA_FILE) scan.metadataFiles.push(name);
    else if (PAGE_EXTENSIONS.has(path.extname(name).toLowerCase())) pages.push(name);
    else scan.otherFiles.push(name);
  }
  scan.pageFiles = orderBy(pages, [(n) => n.normalize('NFC').toLowerCase()], ['asc']);
  return scan;
}

/**
 * Read one file of a batch safely: O_NOFOLLOW refuses a symlink swapped in after the scan, and
 * O_NONBLOCK keeps a FIFO from hanging the process; the open handle must be a regular file.
 */
export async function readBatchFile(dir: string, name: string, maxBytes: number): Promise<Buffer> {
  if (name.includes('/') || name.includes('\0') || name === '.' || name === '..') {
    throw new Error(`unsafe file name ${JSON.stringify(name)}`);
  }
  const fh = await fsp.open(
    path.join(dir, name),
    fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK,
  );
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > maxBytes) throw new Error(`file larger than ${maxBytes} bytes`);
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/**
 * Page-number gaps in numbered file names (page-0001, page-0002, page-0004 → "3 missing").
 * Only judged when every page name carries a number.
 */
export function findPageGaps(pageFiles: string[]): number[] {
  const nums = pageFiles
    .map((n) => /(\d+)(?!.*\d)/.exec(n)?.[1])
    .map((d) => (d === undefined ? Number.NaN : Number(d)));
  if (nums.length < 2 || nums.some(Number.isNaN)) return [];
  const sorted = [...new Set(nums)].sort((a, b) => a - b);
  const missing: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as number;
    const cur = sorted[i] as number;
    for (let n = prev + 1; n < cur && missing.length < 50; n++) missing.push(n);
  }
  return missing;
}
