import { formatNumber } from '../../core/format.ts';
import type { Lang, Translator } from '../../core/messages.ts';

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const num = (lang: Lang, v: unknown) => (typeof v === 'number' ? formatNumber(lang, v) : str(v));

/** The audit log's fixity entries in words (scripts/recovery/fixity-run.ts writes them). */
export function fixityAuditLines(
  tr: Translator,
  lang: Lang,
  action: string,
  d: Record<string, unknown>,
): string[] {
  const run = d.run === undefined ? [] : [tr('st_fixity_aud_run', { run: str(d.run) })];
  switch (action) {
    case 'fixity_run':
      return [
        ...run,
        tr('st_fixity_aud_share', {
          share: str(d.share),
          slot: str(d.slot),
          kind: tr(d.kind === 'manual' ? 'st_fixity_kind_manual' : 'st_fixity_kind_schedule'),
        }),
        tr('st_fixity_aud_counts', {
          items: num(lang, d.items),
          objects: num(lang, d.objects),
          mismatches: num(lang, d.mismatches),
        }),
        ...(d.error ? [tr('st_fixity_aud_error', { error: str(d.error) })] : []),
      ];
    case 'fixity_damage':
      return [
        tr('st_fixity_aud_key', { key: str(d.key) }),
        tr('st_fixity_aud_expected', { sha: str(d.expected) }),
        tr('st_fixity_aud_actual', {
          sha: d.actual === 'missing' ? tr('st_fixity_aud_missing') : str(d.actual),
        }),
        ...run,
      ];
    case 'fixity_webhook_failed':
      return [...run, tr('st_fixity_aud_attempts', { attempts: str(d.attempts), error: str(d.error) })];
    default:
      return run;
  }
}
