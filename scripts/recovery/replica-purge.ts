import { keys } from '../../core/store/keys.ts';
import type { ReplicaSides } from './replica-sync.ts';

export interface PurgeReport {
  /** Withdrawn items whose replica copies were (or, dry run, would be) deleted. */
  items: { itemId: string; nomorInduk: string | null; withdrawnAt: string; objects: number }[];
  /** Withdrawn items still inside the grace period. */
  waiting: number;
  dryRun: boolean;
}

/**
 * `pindai replica purge`: the only deletion the replica ever sees. It deletes the copies of items
 * withdrawn longer than `graceMs` ago (a withdrawal is undone within the grace period from the
 * replica if need be), and writes one audit entry per item. Items not withdrawn are never touched.
 */
export async function purgeWithdrawn(
  sides: ReplicaSides,
  opts: { graceMs: number; by: string; dryRun: boolean; now?: number },
): Promise<PurgeReport> {
  const { register, replica } = sides;
  const now = opts.now ?? Date.now();
  const report: PurgeReport = { items: [], waiting: 0, dryRun: opts.dryRun };
  for (const item of await register.items.list()) {
    if (item.status !== 'withdrawn') continue;
    // The row changes when the item is withdrawn; a later edit only moves the time on (safe side).
    if (now - Date.parse(item.updatedAt) < opts.graceMs) {
      report.waiting++;
      continue;
    }
    const found: string[] = [];
    for await (const o of replica.list(keys.itemPrefix(item.id))) found.push(o.key);
    if (found.length === 0) continue;
    if (!opts.dryRun) {
      for (const key of found) await replica.delete(key);
      await register.audit.record({
        userId: null,
        username: opts.by,
        action: 'replica_purge',
        target: `item:${item.id}`,
        detail: { objects: found.length, withdrawnAt: item.updatedAt, graceDays: opts.graceMs / 86_400_000 },
      });
    }
    report.items.push({
      itemId: item.id,
      nomorInduk: item.nomorInduk,
      withdrawnAt: item.updatedAt,
      objects: found.length,
    });
  }
  return report;
}
