import fsp from 'node:fs/promises';
import { PindaiError } from '../core/errors.ts';
import type { ProbeImage } from '../core/image-probe.ts';
import type { Item } from '../core/item.types.ts';
import type { Register } from '../core/register/register.ts';
import { keys } from '../core/store/keys.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { type Problem, probeProblemOf } from './problems.ts';
import { sha256, storeOriginal } from './store-original.ts';

type StaffItemQueries = Register['staffItems'];

export interface ReplacePageDeps {
  register: Pick<Register, 'pages' | 'jobs'>;
  staffItems: Pick<StaffItemQueries, 'replacePage'>;
  store: ObjectStore;
  /** Intake's image check and pixel limit: a rescan is checked as a page in a batch is. */
  probe: ProbeImage;
  maxPixels: number;
}

export type PageReplacement =
  | {
      ok: true;
      key: string;
      sha256: string;
      bytes: number;
      /** The page's previous original, kept in the store and in a revision. */
      previous: { key: string; file: string };
    }
  | { ok: false; why: 'no_page' | 'same' | 'refused' | 'store_conflict' | 'store_failed' }
  | { ok: false; why: 'invalid'; problem: Problem }
  | { ok: false; why: 'multipage'; pages: number };

/**
 * Pages of an item may be replaced when it is not withdrawn, nothing of it is queued or running,
 * and it has been cleaned before (an item still arriving is never changed under intake).
 */
export async function mayReplacePages(register: Pick<Register, 'jobs'>, item: Item): Promise<boolean> {
  const jobs = await register.jobs.forItem(item.id);
  return (
    item.status !== 'withdrawn' &&
    !jobs.some((j) => j.status === 'queued' || j.status === 'running') &&
    jobs.some((j) => j.stage === 'clean')
  );
}

/**
 * Replace one page of an item with a rescan (a file on local disk, e.g. an upload's temp file):
 * the file is checked as intake checks pages, stored under a key named by its content, read back
 * and verified; only then does the page point at it. The previous page record is kept as a
 * revision and its original stays in the store; the item is redone from cleaning.
 */
export async function replacePage(
  deps: ReplacePageDeps,
  item: Item,
  pageNo: number,
  file: { path: string; name: string },
  username: string,
): Promise<PageReplacement> {
  const current = Number.isInteger(pageNo) ? await deps.register.pages.get(item.id, pageNo) : null;
  if (!current) return { ok: false, why: 'no_page' };
  const data = await fsp.readFile(file.path);
  // The same checks as a page arriving in a batch: format by content, pixel limit, full decode.
  let info: Awaited<ReturnType<ProbeImage>>;
  try {
    info = await deps.probe(data, { maxPixels: deps.maxPixels, maxPages: 1 });
  } catch (err) {
    return { ok: false, why: 'invalid', problem: probeProblemOf(err, file.name) };
  }
  if (info.pages !== 1) return { ok: false, why: 'multipage', pages: info.pages };
  const hash = sha256(data);
  if (hash === current.originalSha256) return { ok: false, why: 'same' };

  const key = keys.replacementOriginal(item.id, pageNo, hash, file.name);
  try {
    // The key is named by content: an object already there with these bytes is this very scan.
    await storeOriginal(
      deps.store,
      key,
      { name: file.name, sha256: hash, bytes: data.length },
      async () => data,
      { existing: 'refuse' },
    );
  } catch (err) {
    if (err instanceof PindaiError && err.code === 'store_conflict')
      return { ok: false, why: 'store_conflict' };
    if (err instanceof PindaiError && err.code === 'store_verify_failed')
      return { ok: false, why: 'store_failed' };
    throw err;
  }
  const before = await deps.staffItems.replacePage(
    item.id,
    pageNo,
    {
      sourceFile: file.name,
      originalKey: key,
      originalSha256: hash,
      originalBytes: data.length,
      format: info.format,
      width: info.width,
      height: info.height,
      dpi: info.density,
    },
    username,
  );
  if (!before) return { ok: false, why: 'refused' };
  return {
    ok: true,
    key,
    sha256: hash,
    bytes: data.length,
    previous: { key: String(before.original_key), file: String(before.source_file) },
  };
}
