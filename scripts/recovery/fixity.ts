import { createHash } from 'node:crypto';
import type { Item } from '../../core/item.types.ts';
import type { Register } from '../../core/register/register.ts';
import { keys } from '../../core/store/keys.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import type { ItemManifest } from '../../workers/manifest.ts';

export interface FixityMismatch {
  itemId: string;
  nomorInduk: string | null;
  key: string;
  /** SHA-256 the manifest (or, for originals, the intake record) says. */
  expected: string;
  /** SHA-256 of the stored bytes now, or "missing". */
  actual: string;
}

export interface FixityReport {
  share: { part: number; of: number; slot: number };
  checkedItems: number;
  /** Ids of the items checked in this run. */
  items: string[];
  checkedObjects: number;
  mismatches: FixityMismatch[];
}

/** "1/30" → one thirtieth of the items per run; "1/1" → everything. */
export function parseShare(text: string): { part: number; of: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const part = Number(m?.[1]);
  const of = Number(m?.[2]);
  if (!m || part < 1 || of < 1 || part > of) throw new Error(`--share must look like 1/30, got "${text}"`);
  return { part, of };
}

/** Which of `of` buckets an item falls in: stable, evenly spread, independent of insertion order. */
export function bucketOf(itemId: string, of: number): number {
  return createHash('sha256').update(itemId).digest().readUInt32BE(0) % of;
}

/**
 * Re-hash stored objects against their manifests. With a share `part/of`, run `slot` checks the
 * buckets slot·part … slot·part+part−1 (mod `of`), so consecutive slots (one per night by default)
 * cover every item once per of/part nights. Originals are also checked against the SHA-256
 * recorded when they were received. It only reads and reports: nothing is ever "repaired" from a
 * copy that was not verified.
 */
export async function auditFixity(
  register: Register,
  store: ObjectStore,
  opts: {
    part: number;
    of: number;
    slot: number;
    /**
     * Awaited after each object is hashed (objects are hashed one at a time, streamed): the nightly
     * run pauses here so serving goes first, renews its lease, and stops by throwing.
     */
    between?: () => Promise<void>;
  },
): Promise<FixityReport> {
  const buckets = new Set<number>();
  for (let i = 0; i < opts.part; i++) buckets.add((opts.slot * opts.part + i) % opts.of);
  const report: FixityReport = {
    share: { part: opts.part, of: opts.of, slot: opts.slot },
    checkedItems: 0,
    items: [],
    checkedObjects: 0,
    mismatches: [],
  };
  const items = (await register.items.list()).filter((it) => it.status === 'available' || it.pdfKey !== null);
  for (const item of items) {
    if (!buckets.has(bucketOf(item.id, opts.of))) continue;
    report.checkedItems++;
    report.items.push(item.id);
    await auditItem(register, store, item, report, opts.between ?? (async () => {}));
  }
  return report;
}

async function auditItem(
  register: Register,
  store: ObjectStore,
  item: Item,
  report: FixityReport,
  between: () => Promise<void>,
) {
  const miss = (key: string, expected: string, actual: string) =>
    report.mismatches.push({ itemId: item.id, nomorInduk: item.nomorInduk, key, expected, actual });
  let manifest: ItemManifest;
  try {
    manifest = JSON.parse((await store.getBuffer(keys.manifest(item.id))).toString('utf8')) as ItemManifest;
  } catch (err) {
    const gone = (err as NodeJS.ErrnoException).code === 'ENOENT';
    miss(keys.manifest(item.id), 'manifest', gone ? 'missing' : `unreadable: ${(err as Error).message}`);
    return;
  }
  const hashes = new Map<string, string>();
  for (const o of manifest.objects) {
    report.checkedObjects++;
    const actual = (await store.head(o.key)) ? await store.sha256(o.key) : 'missing';
    await between();
    hashes.set(o.key, actual);
    if (actual !== o.sha256) miss(o.key, o.sha256, actual);
  }
  // Originals: the hash taken at intake (register) must hold too, whatever the manifest says.
  for (const p of await register.pages.list(item.id)) {
    if (p.sourceSubpage !== 0) continue;
    let actual = hashes.get(p.originalKey);
    if (actual === undefined) {
      report.checkedObjects++;
      actual = (await store.head(p.originalKey)) ? await store.sha256(p.originalKey) : 'missing';
      await between();
    }
    if (actual !== p.originalSha256 && !report.mismatches.some((m) => m.key === p.originalKey))
      miss(p.originalKey, p.originalSha256, actual);
  }
}
