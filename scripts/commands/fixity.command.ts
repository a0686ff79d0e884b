import type { Config } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
import { openCatalog } from '../open-catalog.ts';
import { auditFixity, parseShare } from '../recovery/fixity.ts';

const DAY_MS = 86_400_000;

/**
 * `pindai fixity [--share 1/30] [--slot n] [--json]`: re-hash stored objects against their
 * manifests. Without --slot, the slot is the day number, so a nightly run covers everything once
 * per 30 nights. Exit status 1 when anything does not match.
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
    const report = await auditFixity(cat.register, cat.store, { ...share, slot });
    for (const m of report.mismatches) {
      await cat.register.runs.event({
        itemId: m.itemId,
        level: 'error',
        code: 'fixity_mismatch',
        params: { key: m.key, expected: m.expected, actual: m.actual },
      });
      await cat.register.items.addFlag(m.itemId, { code: 'fixity_failed', params: { key: m.key } });
    }
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
