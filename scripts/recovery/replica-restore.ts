import type { Register } from '../../core/register/register.ts';
import { keys } from '../../core/store/keys.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import type { SearchIndex } from '../../search/search-index.ts';
import { auditFixity, type FixityMismatch } from './fixity.ts';
import { type RebuildReport, rebuildRegister } from './rebuild-register.ts';
import { copyVerified } from './replica-repair.ts';
import { readManifest } from './replica-sync.ts';

export interface ReplicaRestoreReport {
  /** Objects copied from the replica (or already on the primary with the right bytes). */
  objects: number;
  /** Replica copies that do not match their manifest: not copied. */
  damaged: { key: string; expected: string; actual: string }[];
  rebuild: RebuildReport;
  /** The closing fixity pass over everything restored: empty when all is well. */
  fixity: FixityMismatch[];
}

/**
 * `pindai restore --from-replica`: an empty machine gets its collection back from the replica
 * alone. Every object is copied to the primary store, each checked against its item's manifest
 * before it leaves the replica and read back after it lands (objects no manifest names, such as
 * an unpublished item's originals, against the replica's own hash); then the register is rebuilt
 * from the manifests (rebuild-register.ts), the index from both, and a full fixity pass checks
 * the result. Refuses a register that already holds items; an interrupted run can be run again.
 */
export async function restoreFromReplica(
  parts: { register: Register; store: ObjectStore; replica: ObjectStore; index: SearchIndex },
  opts: { nomorTemplate: string; collectionCode: string },
): Promise<ReplicaRestoreReport> {
  const { register, store, replica, index } = parts;
  const held = await register.restore.itemCount();
  if (held > 0)
    throw new Error(`the register already holds ${held} items; restore from the replica needs an empty one`);
  const expected = new Map<string, string>();
  const byItem = new Map<string, string[]>();
  for await (const o of replica.list('items/')) {
    const id = o.key.split('/')[1] ?? '';
    byItem.set(id, [...(byItem.get(id) ?? []), o.key]);
  }
  const all: string[] = [];
  for (const [id, found] of byItem) {
    const m = found.includes(keys.manifest(id)) ? await readManifest(replica, id) : null;
    if (!m) {
      all.push(...found); // never published: its originals are all there is
      continue;
    }
    for (const obj of m.objects) expected.set(obj.key, obj.sha256);
    // What the manifest names, and every original (irreplaceable, even one received after the
    // manifest was written); derivatives the primary had since removed stay behind.
    all.push(
      ...found.filter((k) => expected.has(k) || k === keys.manifest(id) || k.split('/')[2] === 'original'),
    );
  }
  const report: Omit<ReplicaRestoreReport, 'rebuild' | 'fixity'> = { objects: 0, damaged: [] };
  for (const key of all) {
    const want = expected.get(key) ?? (await replica.sha256(key));
    const here = await store.head(key);
    if (!(here && (await store.sha256(key)) === want)) {
      const actual = await replica.sha256(key);
      if (actual !== want) {
        report.damaged.push({ key, expected: want, actual });
        continue;
      }
      await copyVerified(replica, store, key, want);
    }
    // The new register's ledger knows the replica holds these: nothing to copy back.
    await register.replica.recordCopied(key, { sha256: want, size: (await store.head(key))?.size ?? 0 });
    report.objects++;
  }
  const rebuild = await rebuildRegister(register, store, index, opts);
  const fixity = await auditFixity(register, store, { part: 1, of: 1, slot: 0 });
  return { ...report, rebuild, fixity: fixity.mismatches };
}
