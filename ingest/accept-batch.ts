import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { orderBy } from 'natural-orderby';
import type { Config } from '../core/config.ts';
import { PindaiError } from '../core/errors.ts';
import type { ImageInfo, ProbeImage, SourcePageInfo } from '../core/image-probe.ts';
import type { Item } from '../core/item.types.ts';
import { type Lang, t } from '../core/messages.ts';
import type { AccessLevel } from '../core/metadata.schema.ts';
import { type NomorTemplate, parseNomorTemplate } from '../core/nomor-induk.ts';
import type { Register } from '../core/register/register.ts';
import { keys } from '../core/store/keys.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { moveBatch } from './batch-disposition.ts';
import { withBatchLock } from './batch-lock.ts';
import { findPageGaps, readBatchFile, scanBatch } from './batch-scan.ts';
import { completeFromCatalog } from './catalog/complete-from-catalog.ts';
import { isIgnoredName, isMarkerName, REASON_FILE, RECEIPT_FILE } from './ignore-rules.ts';
import { describeOtherFiles } from './other-files.ts';
import { messageOf, type Problem, probeProblemOf } from './problems.ts';
import { readMetadata } from './read-metadata.ts';
import { sha256, storeOriginal } from './store-original.ts';

export interface AcceptDeps {
  register: Register;
  store: ObjectStore;
  probe: ProbeImage;
  lang: Lang;
  maxPixels: number;
  /** Pages one file (multi-page TIFF, PDF) and one batch may hold. */
  maxPagesPerFile: number;
  maxPagesPerBatch: number;
  maxAttempts: number;
  /**
   * The nomor induk alih media is given at acceptance, so the receipt (HASIL.txt) can name it:
   * the configured template (PINDAI_NOMOR_TEMPLATE) and collection code (PINDAI_COLLECTION_CODE).
   */
  nomor: { template: NomorTemplate; collectionCode: string };
  /** Access level of an item whose metadata is readable but names no rights (PINDAI_DEFAULT_ACCESS). */
  defaultAccess: AccessLevel;
}

/** AcceptDeps from the configuration: the one place intake settings are wired. */
export function acceptDepsOf(
  config: Pick<
    Config,
    | 'lang'
    | 'maxPixels'
    | 'maxPagesPerFile'
    | 'maxPagesPerBatch'
    | 'jobMaxAttempts'
    | 'defaultAccess'
    | 'nomorTemplate'
    | 'collectionCode'
  >,
  parts: Pick<AcceptDeps, 'register' | 'store' | 'probe'>,
): AcceptDeps {
  return {
    ...parts,
    lang: config.lang,
    maxPixels: config.maxPixels,
    maxPagesPerFile: config.maxPagesPerFile,
    maxPagesPerBatch: config.maxPagesPerBatch,
    maxAttempts: config.jobMaxAttempts,
    defaultAccess: config.defaultAccess,
    nomor: { template: parseNomorTemplate(config.nomorTemplate), collectionCode: config.collectionCode },
  };
}

export interface AcceptOptions {
  intake: Item['intake'];
  operator?: string | null;
  /**
   * move: the folder leaves the inbox for `archiveDir` or `failedDir` (watched inbox, uploads).
   * keep: the folder is left as it is (`pindai ingest` of a read-only source).
   */
  disposition: { kind: 'move'; archiveDir: string; failedDir: string } | { kind: 'keep' };
  /** Metadata given by another channel (upload form); fields override the sidecar's. */
  metadata?: Record<string, unknown>;
  /**
   * A damaged page whose file changed less than this long ago is taken as still being copied (a
   * slow writer that paused longer than the quiet period): acceptBatch throws a retryable
   * PindaiError('batch_incomplete') and leaves the folder alone instead of rejecting it.
   */
  incompleteGraceMs?: number;
  /**
   * When the batch arrived in the inbox (the watcher: its last file, before the quiet wait), for
   * the SOP report; default: when acceptance began.
   */
  arrivedAt?: Date;
}

export type AcceptResult =
  | { status: 'accepted' | 'existing'; item: Item; problems: Problem[]; movedTo?: string }
  | { status: 'duplicate'; item: Item; problems: Problem[]; movedTo?: string }
  | { status: 'rejected'; item?: undefined; problems: Problem[]; movedTo?: string };

const MAX_FILE_BYTES = 1024 * 1024 * 1024;
/** A new batch named like one received this recently may be the rest of it (a copy that paused). */
const NAME_REUSE_WINDOW_MS = 7 * 24 * 3600 * 1000;

interface ReadPage {
  name: string;
  sha256: string;
  bytes: number;
  info: ImageInfo;
}

/**
 * The one entry for every way a batch arrives (watched folder, `pindai ingest`, HTTP upload).
 * Reads and checks every page, stores the originals, reads them back and verifies their SHA-256,
 * and only then lets the folder leave the inbox. Safe to call again on the same folder after a
 * crash at any point: it finds its own half-received item by fingerprint and source path and
 * finishes it.
 */
export async function acceptBatch(deps: AcceptDeps, dir: string, opts: AcceptOptions): Promise<AcceptResult> {
  const batchDir = path.resolve(dir);
  return withBatchLock(batchDir, async (waited) => {
    const st = await fsp.lstat(batchDir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (st === null && waited) {
      // Someone accepted this folder while we waited for it: report their item, not an error.
      const done = (await deps.register.items.bySourcePath(batchDir))[0];
      if (done) return { status: 'existing', item: done, problems: done.flags } satisfies AcceptResult;
    }
    if (st && !st.isDirectory()) {
      // A symlinked (or non-folder) batch is never read or written through: its target is outside.
      const detail = st.isSymbolicLink() ? 'symlink' : 'not a folder';
      return reject(deps, batchDir, { ...opts, disposition: { kind: 'keep' } }, [
        { code: 'batch_unsafe_entry', params: { file: path.basename(batchDir), detail } },
      ]);
    }
    return acceptLocked(deps, batchDir, opts);
  });
}

async function acceptLocked(deps: AcceptDeps, batchDir: string, opts: AcceptOptions): Promise<AcceptResult> {
  const scan = await scanBatch(batchDir);
  const problems: Problem[] = scan.unsafe.map((u) => ({
    code: 'batch_unsafe_entry',
    params: { file: u.file, detail: u.detail },
  }));

  const others: Problem[] = describeOtherFiles(scan.otherFiles);
  if (scan.pageFiles.length === 0) {
    return reject(deps, batchDir, opts, [...problems, ...others, { code: 'batch_empty' }]);
  }

  const pages: ReadPage[] = [];
  const bad: Problem[] = [];
  let totalPages = 0;
  for (const name of scan.pageFiles) {
    try {
      const data = await readBatchFile(batchDir, name, MAX_FILE_BYTES);
      const info = await deps.probe(data, { maxPixels: deps.maxPixels, maxPages: deps.maxPagesPerFile });
      pages.push({ name, sha256: sha256(data), bytes: data.length, info });
      totalPages += pagesOf(info);
    } catch (err) {
      bad.push(probeProblemOf(err, name));
    }
    if (totalPages > deps.maxPagesPerBatch) {
      // Stop reading: the batch is refused whatever the rest of it holds.
      bad.push({
        code: 'batch_too_many_pages',
        params: { pages: `${totalPages}+`, max: deps.maxPagesPerBatch },
      });
      break;
    }
  }
  if (bad.length > 0) {
    await deferIfStillWritten(batchDir, bad, opts.incompleteGraceMs ?? 0);
    return reject(deps, batchDir, opts, [...problems, ...bad]);
  }

  const read = await readMetadata(batchDir, scan.metadataFiles, opts.metadata, deps.defaultAccess);
  // A batch that names only its source nomor induk or barcode gets the rest from the catalogue.
  const completed = await completeFromCatalog(deps.register.catalog, read.metadata);
  const { metadata } = completed;
  const flags = [...read.flags, ...completed.flags];
  if (metadata.pages !== undefined && metadata.pages !== totalPages) {
    flags.push({ code: 'page_count_mismatch', params: { expected: metadata.pages, actual: totalPages } });
  }
  if (totalPages > 1 && totalPages % 2 === 1 && metadata.pages === undefined) {
    // A bound book has two sides to every leaf: an odd count often means a page was skipped.
    flags.push({ code: 'page_count_odd', params: { pages: totalPages } });
  }
  const split = pages.filter((p) => p.info.pageSizes.some((s) => s.split));
  if (split.length > 0) {
    flags.push({ code: 'page_spread_split', params: { files: split.map((p) => `"${p.name}"`).join(', ') } });
  }
  const maybe = pages.filter((p) => p.info.pageSizes.some((s) => s.maybeSpread));
  if (maybe.length > 0) {
    flags.push({
      code: 'page_spread_possible',
      params: { files: maybe.map((p) => `"${p.name}"`).join(', ') },
    });
  }
  const gaps = findPageGaps(scan.pageFiles);
  if (gaps.length > 0) flags.push({ code: 'page_number_gap', params: { detail: gaps.join(', ') } });
  for (const p of [...problems, ...others]) flags.push(p);

  const fingerprint = sha256(Buffer.from(pages.map((p) => p.sha256).join('\n')));
  const sourceName = path.basename(batchDir);
  // One transaction: concurrent acceptances of the same pages never register the batch twice.
  const found = await deps.register.items.findOrInsert(
    {
      id: newItemId(),
      title: metadata.title ?? sourceName.normalize('NFC'),
      metadata,
      flags,
      fingerprint,
      sourcePath: batchDir,
      sourceName,
      intake: opts.intake,
      operator: opts.operator ?? metadata.operator ?? null,
    },
    {
      sameNameWithinMs: NAME_REUSE_WINDOW_MS,
      nameReused: (reused) => ({
        code: 'batch_name_reused',
        params: { nomorInduk: reused.nomorInduk ?? reused.id, date: reused.createdAt.slice(0, 16) },
      }),
    },
  );
  if (found.nameReused) flags.push(found.nameReused);
  const { own, other } = found;
  if (!own && other) {
    if (opts.disposition.kind === 'keep' && other.sourcePath === batchDir) {
      return { status: 'existing', item: other, problems: flags };
    }
    const dup: Problem = {
      code: 'batch_duplicate',
      params: { nomorInduk: other.nomorInduk ?? other.id, title: other.title },
    };
    const rejected = await reject(deps, batchDir, opts, [dup]);
    return { ...rejected, status: 'duplicate', item: other };
  }
  const item = (own ?? found.inserted) as Item;

  if (item.status === 'receiving') {
    await storeOriginals(deps, batchDir, item.id, pages, metadata.readingDirection === 'rtl');
    // Numbered as it is received, so the receipt below can carry the number. The register stage
    // keeps it (allocation is idempotent).
    await deps.register.items.receive(
      item.id,
      {
        pageCount: totalPages,
        originalBytes: pages.reduce((n, p) => n + p.bytes, 0),
        sourceFormat: [...new Set(pages.map((p) => p.info.format))].join('+'),
      },
      {
        template: deps.nomor.template,
        collectionCode: deps.nomor.collectionCode,
        maxAttempts: deps.maxAttempts,
        ...(opts.arrivedAt && { arrivedAt: opts.arrivedAt.toISOString() }),
      },
    );
  }

  const stored = (await deps.register.items.get(item.id)) as Item;
  let movedTo: string | undefined;
  if (opts.disposition.kind === 'move') {
    const text = t(deps.lang, 'receipt_accepted', {
      date: new Date().toISOString(),
      // Only an item received by an older Pindai (numbered by the register stage) can lack one here.
      nomorInduk: stored.nomorInduk ?? '(menunggu nomor)',
      title: stored.title,
      pages: totalPages,
    });
    const notes = stored.flags.map((f) => `- ${messageOf(deps.lang, f)}`);
    movedTo = await moveBatch(batchDir, opts.disposition.archiveDir, {
      file: RECEIPT_FILE,
      text: [text, ...notes].join('\n'),
    });
  }
  await deps.register.items.markDisposed(item.id);
  return {
    status: own ? 'existing' : 'accepted',
    item: (await deps.register.items.get(item.id)) as Item,
    problems: flags,
    movedTo,
  };
}

/** Pages a file gives the item: one per page, two per spread that is split. */
function pagesOf(info: ImageInfo): number {
  return info.pageSizes.reduce((n, s) => n + (s.split ? 2 : 1), 0) || info.pages;
}

/**
 * Store each original, read it back and compare hashes, then record its pages. A spread gives two
 * pages, its halves in reading order (`rtl`: the right half first, as Jawi/Arabic books read).
 */
async function storeOriginals(
  deps: AcceptDeps,
  dir: string,
  itemId: string,
  pages: ReadPage[],
  rtl: boolean,
): Promise<void> {
  let pageNo = 0;
  for (const [i, p] of pages.entries()) {
    const key = keys.original(itemId, i + 1, p.name);
    // Re-read from disk when storing: what is stored must be what is in the folder now.
    await storeOriginal(deps.store, key, p, () => readBatchFile(dir, p.name, MAX_FILE_BYTES), {
      existing: 'overwrite',
    });
    for (let sub = 0; sub < p.info.pages; sub++) {
      const size: SourcePageInfo = p.info.pageSizes[sub] ?? p.info;
      const halves = size.split ? (rtl ? [size.split[1], size.split[0]] : size.split) : [null];
      for (const region of halves) {
        pageNo++;
        await deps.register.pages.upsert({
          itemId,
          pageNo,
          sourceFile: p.name,
          sourceSubpage: sub,
          sourceKind: p.info.format === 'pdf' ? 'pdf' : 'image',
          sourceRegion: region,
          originalKey: key,
          originalSha256: p.sha256,
          originalBytes: p.bytes,
          format: p.info.format,
          width: region ? region.x1 - region.x0 : size.width,
          height: size.height,
          dpi: size.density === null ? null : Math.round(size.density),
        });
      }
    }
  }
}

async function reject(
  deps: AcceptDeps,
  batchDir: string,
  opts: AcceptOptions,
  problems: Problem[],
): Promise<Extract<AcceptResult, { status: 'rejected' }>> {
  let movedTo: string | undefined;
  if (opts.disposition.kind === 'move') {
    const text = [
      t(deps.lang, 'receipt_rejected', { date: new Date().toISOString() }),
      ...problems.map((p) => `- ${messageOf(deps.lang, p)}`),
      '',
      t(deps.lang, 'receipt_fix_hint'),
    ].join('\n');
    movedTo = await moveBatch(batchDir, opts.disposition.failedDir, { file: REASON_FILE, text });
  }
  const files = await filesOf(movedTo ?? batchDir);
  // Recorded for /staf (queue, inventory "Gagal"): not only the folder in gagal/ knows.
  await deps.register.rejections.record({
    batchName: path.basename(batchDir),
    sourcePath: batchDir,
    intake: opts.intake,
    operator: opts.operator ?? null,
    problems,
    files,
    fileCount: files.length,
    movedTo: movedTo ?? null,
  });
  // Every refusal is in the audit log too. An upload's is written by the staff route, with who
  // sent it and from where; a batch from the inbox or the CLI is written here.
  if (opts.intake !== 'upload') {
    await deps.register.audit.record({
      userId: null,
      username: opts.operator ?? '-',
      action: 'batch_rejected',
      target: null,
      detail: {
        batch: path.basename(batchDir),
        intake: opts.intake,
        problems: problems.map((p) => messageOf(deps.lang, p)),
        ...(movedTo ? { movedTo } : {}),
      },
      ip: null,
    });
  }
  return { status: 'rejected', problems, movedTo };
}

/**
 * The names in a refused batch folder, in natural order, without system files, markers and our own
 * receipts. A symlink or a non-folder "batch" is never listed: its target is outside the inbox.
 */
async function filesOf(dir: string): Promise<string[]> {
  const st = await fsp.lstat(dir).catch(() => null);
  if (!st?.isDirectory()) return [];
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const shown = names.filter(
    (n) => !isIgnoredName(n) && !isMarkerName(n) && n !== RECEIPT_FILE && n !== REASON_FILE,
  );
  return orderBy(shown, [(n) => n.normalize('NFC').toLowerCase()], ['asc']);
}

async function deferIfStillWritten(dir: string, bad: Problem[], graceMs: number): Promise<void> {
  if (graceMs <= 0) return;
  for (const p of bad) {
    if (p.code !== 'image_corrupt' && p.code !== 'image_truncated' && p.code !== 'image_empty') continue;
    const file = String(p.params?.file ?? '');
    const st = await fsp.lstat(path.join(dir, file)).catch(() => null);
    if (st && Date.now() - st.mtimeMs < graceMs) {
      throw new PindaiError('batch_incomplete', `${file} looks incomplete and changed recently`, {
        retryable: true,
        params: { file },
      });
    }
  }
}

/** Time-ordered, URL- and key-safe item id. */
function newItemId(): string {
  return `${Date.now().toString(36)}${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}
