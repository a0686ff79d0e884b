import type { Register } from '../../core/register/register.ts';
import type { ReplicationRound, Replicator } from '../../core/replica/replicator.ts';
import { keys } from '../../core/store/keys.ts';
import type { ObjectInfo, ObjectStore } from '../../core/store/object-store.ts';
import type { ItemManifest } from '../../workers/manifest.ts';

export interface ReplicaSides {
  register: Register;
  primary: ObjectStore;
  replica: ObjectStore;
}

export interface ReplicaMismatch {
  itemId: string;
  key: string;
  expected: string;
  /** SHA-256 of the replica's copy now, or "missing". */
  actual: string;
}

export interface SyncReport {
  /** Objects on the primary that the replica lacked or held with another size: queued and copied. */
  missing: number;
  round: ReplicationRound;
  /** Copies still waiting after the pass (the replica went away during it). */
  pending: number;
  verify: { checked: number; mismatches: ReplicaMismatch[] } | null;
}

async function listing(store: ObjectStore, prefix: string): Promise<Map<string, ObjectInfo>> {
  const out = new Map<string, ObjectInfo>();
  for await (const o of store.list(prefix)) out.set(o.key, o);
  return out;
}

/**
 * The catch-up pass (`pindai replica sync`): compare the primary's listing with the replica's,
 * queue in the ledger every object the replica lacks (or holds with another size), and copy
 * them all, each verified by read-back. With `verify`, then re-hash every replica copy that a
 * manifest (or, for originals, the register) names, against that SHA-256. Never deletes.
 */
export async function syncReplica(
  sides: ReplicaSides,
  replicator: Replicator,
  opts: { verify: boolean },
): Promise<SyncReport> {
  const { register, primary, replica } = sides;
  const onReplica = await listing(replica, 'items/');
  let missing = 0;
  for await (const o of primary.list('items/')) {
    const held = onReplica.get(o.key);
    if (held && held.size === o.size) continue;
    // A key copied before keeps the hash it was copied with: primary bytes that changed since
    // (damage) are then refused by the copier instead of spreading to the replica.
    const known = await register.replica.copiedSha(o.key);
    await register.replica.record(o.key, known ? { sha256: known, size: o.size } : null);
    missing++;
  }
  const round = await replicator.drain();
  const pending = (await register.replica.lag()).pending;
  await register.replica.setState('sync', {
    missing,
    copied: round.copied,
    failed: round.failed,
    pending,
    ...(round.lastError && { error: round.lastError }),
  });
  const verify = opts.verify ? await verifyReplica(sides) : null;
  return { missing, round, pending, verify };
}

/** What each object of an item should hash to: its manifest, and the register for originals. */
export async function expectedHashes(
  register: Register,
  manifest: ItemManifest | null,
  itemId: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const o of manifest?.objects ?? []) out.set(o.key, o.sha256);
  for (const p of await register.pages.list(itemId)) {
    if (p.sourceSubpage === 0) out.set(p.originalKey, p.originalSha256);
  }
  return out;
}

/** An item's manifest from one store, or null when missing or not a manifest. */
export async function readManifest(store: ObjectStore, itemId: string): Promise<ItemManifest | null> {
  try {
    const m = JSON.parse((await store.getBuffer(keys.manifest(itemId))).toString('utf8')) as ItemManifest;
    return m.manifestVersion === 1 && Array.isArray(m.objects) ? m : null;
  } catch {
    return null;
  }
}

/**
 * Items whose manifest describes their objects now: an item being processed again has newer
 * derivatives than its last manifest (only its originals, from the register, are checked then).
 */
export const settled = (status: string): boolean => status === 'available' || status === 'withdrawn';

export const shaOrMissing = async (store: ObjectStore, key: string): Promise<string> =>
  (await store.head(key)) ? store.sha256(key) : 'missing';

/** Re-hash the replica's copies against manifests and the register; the result goes to the ledger's state. */
export async function verifyReplica(
  sides: ReplicaSides,
): Promise<{ checked: number; mismatches: ReplicaMismatch[] }> {
  const { register, primary, replica } = sides;
  let checked = 0;
  const mismatches: ReplicaMismatch[] = [];
  for (const item of await register.items.list()) {
    const manifest = settled(item.status)
      ? ((await readManifest(primary, item.id)) ?? (await readManifest(replica, item.id)))
      : null;
    for (const [key, expected] of await expectedHashes(register, manifest, item.id)) {
      checked++;
      const actual = await shaOrMissing(replica, key);
      if (actual !== expected) mismatches.push({ itemId: item.id, key, expected, actual });
    }
    // The manifest itself: as the replica was verified to hold it when copied.
    const mKey = keys.manifest(item.id);
    const copied = await register.replica.copiedSha(mKey);
    if (copied) {
      checked++;
      const actual = await shaOrMissing(replica, mKey);
      if (actual !== copied) mismatches.push({ itemId: item.id, key: mKey, expected: copied, actual });
    }
  }
  await register.replica.setState('verify', {
    checked,
    mismatches: mismatches.length,
    keys: mismatches.slice(0, 20).map((m) => m.key),
  });
  return { checked, mismatches };
}
