import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
import { openReplicaStore } from '../../core/replica/replica-store.ts';
import { openCatalog } from '../open-catalog.ts';
import { parseShare } from '../recovery/fixity.ts';
import { fixityRunDepsOf, performFixityRun } from '../recovery/fixity-run.ts';
import { repairFromReplica } from '../recovery/replica-repair.ts';
import { printRepair } from './replica.command.ts';

const DAY_MS = 86_400_000;

/**
 * `pindai fixity [--share 1/30] [--slot n] [--json] [--repair]`: re-hash stored objects against
 * their manifests. Without --slot, the slot is the day number, so a nightly run covers everything
 * once per 30 nights. The run is recorded in the register and the audit log like a nightly one, and
 * calls PINDAI_FIXITY_WEBHOOK_URL on damage or failure. With --repair (and a replica), the items
 * with damage are then repaired from the replica's verified copies. Exit status 1 when anything
 * does not match and was not repaired.
 */
export async function fixityCommand(
  config: Config,
  opts: { share: string; slot?: string; json: boolean; repair?: boolean },
): Promise<number> {
  if (opts.repair && !config.replica) {
    process.stderr.write(`${t(config.lang, 'replica_not_configured')}\n`);
    return 2;
  }
  const share = parseShare(opts.share);
  const slot = opts.slot === undefined ? Math.floor(Date.now() / DAY_MS) : Number(opts.slot);
  if (!Number.isInteger(slot) || slot < 0)
    throw new Error(`--slot must be a whole number, got "${opts.slot}"`);
  const cat = await openCatalog(config);
  try {
    // Recorded as the nightly runs are: a fixity_runs row, events, flags, audit log, webhook.
    const run = await cat.register.fixity.start({
      slot,
      part: share.part,
      of: share.of,
      owner: `${os.hostname()}:${process.pid}`,
    });
    const outcome = await performFixityRun(fixityRunDepsOf({ ...cat, config }, 'cli'), run);
    if (outcome.webhook && !outcome.webhook.ok)
      process.stderr.write(`fixity webhook not delivered: ${outcome.webhook.error ?? 'unknown'}\n`);
    const report = outcome.report;
    if (!report) throw outcome.error ?? new Error('fixity run stopped');
    const damaged = [...new Set(report.mismatches.map((m) => m.itemId))];
    const repair =
      opts.repair && config.replica && damaged.length > 0
        ? await repairFromReplica(
            {
              register: cat.register,
              primary: cat.store,
              replica: openReplicaStore(config.replica, path.join(config.dataDir, 'tmp', 's3-replica')),
            },
            {
              items: (await cat.register.items.list()).filter((i) => damaged.includes(i.id)),
              by: process.env.USER ?? 'cli',
            },
          )
        : null;
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(repair ? { ...report, repair } : report, null, 2)}\n`);
    } else {
      for (const m of report.mismatches) {
        process.stdout.write(
          `${t(config.lang, 'fixity_mismatch', { ...m, nomorInduk: m.nomorInduk ?? '-' })}\n`,
        );
      }
      process.stdout.write(
        `${t(config.lang, 'fixity_summary', {
          ...report.share,
          items: report.checkedItems,
          objects: report.checkedObjects,
          mismatches: report.mismatches.length,
        })}\n`,
      );
    }
    if (repair && !opts.json) printRepair(config, repair);
    if (repair) {
      // Repaired keys count as fixed; anything else still fails the run.
      const fixed = new Set(repair.repairs.filter((r) => r.repaired === 'primary').map((r) => r.key));
      return report.mismatches.some((m) => !fixed.has(m.key)) ? 1 : 0;
    }
    return report.mismatches.length > 0 ? 1 : 0;
  } finally {
    await cat.close();
  }
}
