import path from 'node:path';
import type { Config } from '../../core/config.ts';
import { formatDateTime, formatDuration } from '../../core/format.ts';
import type { Item } from '../../core/item.types.ts';
import { t } from '../../core/messages.ts';
import { openConfiguredRegister } from '../../core/register/open-configured.ts';
import { replicaHealth } from '../../core/replica/replica-health.ts';
import { describeReplica, openReplicaStore } from '../../core/replica/replica-store.ts';
import { createReplicator } from '../../core/replica/replicator.ts';
import { openObjectStore, openSearchIndex } from '../open-backends.ts';
import { purgeWithdrawn } from '../recovery/replica-purge.ts';
import { type RepairReport, repairFromReplica } from '../recovery/replica-repair.ts';
import { restoreFromReplica } from '../recovery/replica-restore.ts';
import { type ReplicaSides, syncReplica } from '../recovery/replica-sync.ts';

/** Register, primary store (as is, not noting puts) and replica store; null without a replica. */
async function openSides(config: Config): Promise<(ReplicaSides & { close(): Promise<void> }) | null> {
  if (!config.replica) {
    process.stderr.write(`${t(config.lang, 'replica_not_configured')}\n`);
    return null;
  }
  const register = await openConfiguredRegister(config);
  return {
    register,
    primary: await openObjectStore(config),
    replica: openReplicaStore(config.replica, path.join(config.dataDir, 'tmp', 's3-replica')),
    close: () => register.close(),
  };
}

/** Items by id or nomor induk, whatever their status (a withdrawn item is repaired too). */
async function findItems(register: ReplicaSides['register'], refs: string[]): Promise<Item[]> {
  const items: Item[] = [];
  for (const ref of refs) {
    const item = (await register.items.get(ref)) ?? (await register.items.byNomorInduk(ref));
    if (!item) throw new Error(`item "${ref}" not found`);
    items.push(item);
  }
  return items;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

/** `pindai replica status [--json]`: lag, last sync and last verification; exit 1 when unhealthy. */
export async function replicaStatusCommand(config: Config, opts: { json: boolean }): Promise<number> {
  const sides = await openSides(config);
  if (!sides || !config.replica) return 2;
  try {
    const h = await replicaHealth(sides.register, config.replica);
    const copied = (await sides.register.replica.lag()).copied;
    if (opts.json) {
      out(JSON.stringify({ replica: describeReplica(config.replica), copied, ...h }, null, 2));
      return h.healthy ? 0 : 1;
    }
    const L = config.lang;
    out(
      t(L, 'replica_status', {
        where: describeReplica(config.replica),
        pending: h.pending,
        oldest:
          h.oldestPendingSeconds === null
            ? t(L, 'replica_status_none')
            : formatDuration(L, h.oldestPendingSeconds * 1000),
        copied,
        maxLag: formatDuration(L, (h.maxLagSeconds ?? 0) * 1000),
      }),
    );
    if (h.failing > 0) out(t(L, 'replica_status_error', { failing: h.failing, error: h.lastError ?? '' }));
    const s = h.lastSync;
    out(
      s
        ? t(L, 'replica_status_sync', {
            at: formatDateTime(L, s.at),
            missing: Number(s.missing ?? 0),
            copied: Number(s.copied ?? 0),
            pending: Number(s.pending ?? 0),
          })
        : t(L, 'replica_status_sync_never'),
    );
    const v = h.lastVerify;
    out(
      v
        ? t(L, 'replica_status_verify', { ...v, at: formatDateTime(L, v.at) })
        : t(L, 'replica_status_verify_never'),
    );
    return h.healthy ? 0 : 1;
  } finally {
    await sides.close();
  }
}

/**
 * `pindai replica sync [--verify] [--json]`: copy what the replica lacks, verified; with --verify,
 * re-hash every replica copy against its manifest. Exit 1 when copies remain or any mismatch.
 */
export async function replicaSyncCommand(
  config: Config,
  opts: { verify: boolean; json: boolean },
): Promise<number> {
  const sides = await openSides(config);
  if (!sides) return 2;
  try {
    const replicator = createReplicator({ ledger: sides.register.replica, ...sides });
    const r = await syncReplica(sides, replicator, { verify: opts.verify });
    if (opts.json) out(JSON.stringify(r, null, 2));
    else {
      out(
        t(config.lang, 'replica_sync_done', {
          missing: r.missing,
          copied: r.round.copied,
          pending: r.pending,
        }),
      );
      if (r.round.lastError)
        out(t(config.lang, 'replica_status_error', { failing: r.round.failed, error: r.round.lastError }));
      if (r.verify) {
        for (const m of r.verify.mismatches) out(t(config.lang, 'replica_verify_mismatch', { ...m }));
        out(
          t(config.lang, 'replica_verify_done', {
            checked: r.verify.checked,
            mismatches: r.verify.mismatches.length,
          }),
        );
      }
    }
    return r.pending > 0 || (r.verify?.mismatches.length ?? 0) > 0 ? 1 : 0;
  } finally {
    await sides.close();
  }
}

export function printRepair(config: Config, r: RepairReport): void {
  const L = config.lang;
  for (const x of r.repairs) out(t(L, 'replica_repair_one', { side: x.repaired, key: x.key }));
  for (const x of r.unrepairable) out(t(L, 'replica_repair_lost', { ...x }));
  out(
    t(L, 'replica_repair_done', {
      items: r.checkedItems,
      objects: r.checkedObjects,
      primary: r.repairs.filter((x) => x.repaired === 'primary').length,
      replica: r.repairs.filter((x) => x.repaired === 'replica').length,
      lost: r.unrepairable.length,
    }),
  );
}

/** `pindai replica repair [--item <id or nomor induk>]…`: each side repaired from the other, verified. */
export async function replicaRepairCommand(
  config: Config,
  opts: { items: string[]; by: string; json: boolean },
): Promise<number> {
  const sides = await openSides(config);
  if (!sides) return 2;
  try {
    const items = opts.items.length > 0 ? await findItems(sides.register, opts.items) : undefined;
    const r = await repairFromReplica(sides, { ...(items && { items }), by: opts.by });
    if (opts.json) out(JSON.stringify(r, null, 2));
    else printRepair(config, r);
    return r.unrepairable.length > 0 ? 1 : 0;
  } finally {
    await sides.close();
  }
}

/** `pindai replica purge [--dry-run]`: delete replica copies of items withdrawn past the grace period. */
export async function replicaPurgeCommand(
  config: Config,
  opts: { graceDays?: string; dryRun: boolean; by: string; json: boolean },
): Promise<number> {
  const sides = await openSides(config);
  if (!sides || !config.replica) return 2;
  try {
    const graceMs =
      opts.graceDays === undefined
        ? config.replica.purgeGraceMs
        : Math.round(Number(opts.graceDays) * 86_400_000);
    if (!Number.isFinite(graceMs) || graceMs < 0)
      throw new Error(`--grace-days must be a number of days, got "${opts.graceDays}"`);
    const r = await purgeWithdrawn(sides, { graceMs, by: opts.by, dryRun: opts.dryRun });
    if (opts.json) out(JSON.stringify(r, null, 2));
    else
      out(
        t(config.lang, 'replica_purge_done', {
          dry: opts.dryRun ? ' (--dry-run)' : '',
          items: r.items.length,
          days: Math.round(graceMs / 86_400_000),
          objects: r.items.reduce((n, i) => n + i.objects, 0),
          waiting: r.waiting,
        }),
      );
    return 0;
  } finally {
    await sides.close();
  }
}

/** `pindai restore --from-replica`: store, register and index back from the replica alone, verified. */
export async function restoreFromReplicaCommand(config: Config, opts: { json: boolean }): Promise<number> {
  const sides = await openSides(config);
  if (!sides) return 2;
  const index = await openSearchIndex(config);
  try {
    const r = await restoreFromReplica(
      { register: sides.register, store: sides.primary, replica: sides.replica, index },
      { nomorTemplate: config.nomorTemplate, collectionCode: config.collectionCode },
    );
    if (opts.json) out(JSON.stringify(r, null, 2));
    else {
      for (const d of r.damaged) out(t(config.lang, 'replica_restore_damaged', d));
      out(
        t(config.lang, 'replica_restore_done', {
          objects: r.objects,
          items: r.rebuild.restored.length,
          indexed: r.rebuild.indexed,
          mismatches: r.fixity.length,
        }),
      );
    }
    return r.damaged.length + r.fixity.length + r.rebuild.skipped.length > 0 ? 1 : 0;
  } finally {
    await index.close();
    await sides.close();
  }
}
