import os from 'node:os';
import type { Config } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
import { openCatalog } from '../open-catalog.ts';
import { parseShare } from '../recovery/fixity.ts';
import { fixityRunDepsOf, performFixityRun } from '../recovery/fixity-run.ts';

const DAY_MS = 86_400_000;

/**
 * `pindai fixity [--share 1/30] [--slot n] [--json]`: re-hash stored objects against their
 * manifests. Without --slot, the slot is the day number, so a nightly run covers everything once
 * per 30 nights. Exit status 1 when anything does not match. The run is recorded in the register
 * and the audit log like a nightly one, and calls PINDAI_FIXITY_WEBHOOK_URL on damage or failure.
 */
export async function fixityCommand(
  config: Config,
  opts: { share: string; slot?: string; json: boolean },
): Promise<number> {
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
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
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
    return report.mismatches.length > 0 ? 1 : 0;
  } finally {
    await cat.close();
  }
}
