import { formatNumber } from '../../core/format.ts';
import type { Lang, Translator } from '../../core/messages.ts';

/**
 * A stage run's note in the staff's words. The stages store a short English note (kept as it is
 * in the register, where older rows have it too); the page reads the known shapes back into a
 * sentence. A note of another shape is shown as it is.
 */
export function runDetailText(tr: Translator, lang: Lang, detail: string | null | undefined): string {
  if (!detail) return '';
  const n = (s: string | undefined) => formatNumber(lang, Number(s ?? 0));
  let m = /^(\d+) cleaned, (\d+) already clean(?: \((.*)\))?$/.exec(detail);
  if (m) {
    const base = tr('st_run_clean', { done: n(m[1]), skipped: n(m[2]) });
    const chosen = (m[3] ?? '')
      .split(', ')
      .filter(Boolean)
      .map((c) => cleanChoice(tr, lang, c));
    return chosen.length ? `${base} (${chosen.join(', ')})` : base;
  }
  m = /^(\d+) recognised(?: \((\d+) read ahead while cleaning\))?, (\d+) already done \((.*)\)$/.exec(detail);
  if (m) {
    const base = tr('st_run_ocr', {
      done: n(m[1]),
      skipped: n(m[3]),
      langs: m[4]?.replace(/\+/g, ' + ') ?? '',
    });
    return m[2] ? `${base}; ${tr('st_run_ocr_ahead', { n: n(m[2]) })}` : base;
  }
  m = /^(\d+) pages, (\d+) bytes$/.exec(detail);
  if (m) return tr('st_run_pdf', { pages: n(m[1]), bytes: n(m[2]) });
  m = /^(\d+) objects$/.exec(detail);
  if (m) return tr('st_run_publish', { n: n(m[1]) });
  return detail;
}

function cleanChoice(tr: Translator, lang: Lang, c: string): string {
  const turned = /^(\d+) turned upright$/.exec(c);
  if (turned) return tr('st_run_turned', { n: formatNumber(lang, Number(turned[1])) });
  const [k, v] = c.split('=');
  if (k === 'rotate') return v === '0' ? tr('st_item_rot_0') : tr('st_run_rotate', { deg: v ?? '' });
  if (k === 'deskew') return tr(v === 'true' ? 'st_run_deskew_on' : 'st_run_deskew_off');
  if (k === 'cropBorders') return tr(v === 'true' ? 'st_run_crop_on' : 'st_run_crop_off');
  return c;
}
