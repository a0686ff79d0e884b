import type { Item } from '../../core/item.types.ts';
import { keys } from '../../core/store/keys.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import { expectedHashes, type ReplicaSides, readManifest, settled, shaOrMissing } from './replica-sync.ts';

export interface Repair {
  itemId: string;
  key: string;
  /** Which side was damaged or missing, and was replaced from the other. */
  repaired: 'primary' | 'replica';
  sha256: string;
}

export interface Unrepairable {
  itemId: string;
  key: string;
  expected: string;
  primary: string;
  replica: string;
}

export interface RepairReport {
  checkedItems: number;
  checkedObjects: number;
  repairs: Repair[];
  /** Neither side holds the bytes the manifest names: restore from a backup. */
  unrepairable: Unrepairable[];
}

/**
 * Copy `key` from one store to the other, but only bytes that hash to `expected` before they
 * leave and after they arrive (read back from the target).
 */
export async function copyVerified(
  from: ObjectStore,
  to: ObjectStore,
  key: string,
  expected: string,
): Promise<number> {
  // Streamed, not buffered: an original may be a multi-page TIFF of hundreds of megabytes.
  if ((await from.sha256(key)) !== expected) throw new Error(`${key}: the source does not match ${expected}`);
  const put = await to.put(key, await from.get(key));
  const back = await to.sha256(key);
  if (put.sha256 !== expected || back !== expected)
    throw new Error(`${key}: the copy reads back ${back}, expected ${expected}`);
  return put.size;
}

/**
 * Repair each object of the items from the other side (`pindai replica repair`): a damaged or
 * missing primary object is replaced from the replica only when the replica's copy hashes to the
 * manifest's SHA-256 (originals: the register's), and the reverse. Each repair goes to the audit
 * log and the item's events. An object neither side holds intact is reported, never guessed.
 * The manifest itself is checked against the SHA-256 the ledger recorded when it was copied.
 */
export async function repairFromReplica(
  sides: ReplicaSides,
  opts: { items?: Item[]; by: string },
): Promise<RepairReport> {
  const { register, primary, replica } = sides;
  const report: RepairReport = { checkedItems: 0, checkedObjects: 0, repairs: [], unrepairable: [] };
  const items = opts.items ?? (await register.items.list());
  for (const item of items) {
    report.checkedItems++;
    const mKey = keys.manifest(item.id);
    const want = new Map<string, string>();
    const mSha = await register.replica.copiedSha(mKey);
    if (mSha) want.set(mKey, mSha);
    // A manifest is believed only when it matches what was copied (or nothing was recorded).
    const trusted = async (store: ObjectStore) =>
      !mSha || (await shaOrMissing(store, mKey)) === mSha ? readManifest(store, item.id) : null;
    const manifest = settled(item.status) ? ((await trusted(primary)) ?? (await trusted(replica))) : null;
    for (const [k, v] of await expectedHashes(register, manifest, item.id)) want.set(k, v);
    let primaryWhole = true;
    for (const [key, expected] of want) {
      report.checkedObjects++;
      const p = await shaOrMissing(primary, key);
      const r = await shaOrMissing(replica, key);
      if (p === expected && r === expected) continue;
      const from = p === expected ? primary : r === expected ? replica : null;
      if (!from) {
        report.unrepairable.push({ itemId: item.id, key, expected, primary: p, replica: r });
        if (p !== expected) primaryWhole = false;
        continue;
      }
      const repaired = from === primary ? 'replica' : 'primary';
      const size = await copyVerified(from, from === primary ? replica : primary, key, expected);
      if (repaired === 'replica') await register.replica.recordCopied(key, { sha256: expected, size });
      report.repairs.push({ itemId: item.id, key, repaired, sha256: expected });
      const was = repaired === 'primary' ? p : r;
      await register.audit.record({
        userId: null,
        username: opts.by,
        action: 'replica_repair',
        target: `item:${item.id}`,
        detail: {
          key,
          repaired,
          from: repaired === 'primary' ? 'replica' : 'primary',
          sha256: expected,
          was,
        },
      });
      await register.runs.event({
        itemId: item.id,
        level: 'warn',
        code: 'replica_repair',
        params: { key, repaired, was },
      });
    }
    // Every object of the item now matches on the primary: fixity's damage flag no longer holds.
    if (primaryWhole && (await register.fixity.clearDamage(item.id))) {
      await register.runs.event({ itemId: item.id, level: 'info', code: 'fixity_cleared', params: {} });
      await register.audit.record({
        userId: null,
        username: opts.by,
        action: 'fixity_cleared',
        target: `item:${item.id}`,
        detail: { by: 'replica_repair' },
      });
    }
  }
  // A run over every item re-hashed both sides: it is the newest verification of the replica.
  if (!opts.items) {
    const left = report.unrepairable.filter((u) => u.replica !== u.expected);
    await register.replica.setState('verify', {
      checked: report.checkedObjects,
      mismatches: left.length,
      keys: left.slice(0, 20).map((u) => u.key),
    });
  }
  return report;
}
