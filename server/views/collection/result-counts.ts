/**
 * How result counts read on the public pages. Exact counts are shown as they are; estimates
 * (the search port's `estimated`) are rounded to two significant figures and worded "about",
 * so a broad search says "sekitar 480.000 item ditemukan", never a falsely precise number. The
 * pager never offers a page beyond MAX_RESULT_WINDOW results: broad searches rank a bounded set
 * of candidates (search/bounded-ranking.ts) and pages past it would be empty.
 */
import { formatNumber } from '../../../core/format.ts';
import type { Lang } from '../../../core/messages.ts';
import { MAX_RESULT_WINDOW } from '../../../search/search-index.ts';

/** Two significant figures: 483 217 → 480 000, 1 234 → 1 200, 87 → 87. */
export function roughly(n: number): number {
  if (n < 100) return Math.round(n);
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / unit) * unit;
}

/** "480.000" in Indonesian, "480,000" in English. */
export function formatCount(lang: Lang, n: number): string {
  return formatNumber(lang, n);
}

/** The count as shown: exact, or rounded when estimated. */
export function shownCount(lang: Lang, n: number, estimated: boolean): string {
  return formatCount(lang, estimated ? roughly(n) : n);
}

/** Result pages the pager offers: only those that can hold results. */
export function pageCount(total: number, perPage: number): number {
  return Math.ceil(Math.min(total, MAX_RESULT_WINDOW) / Math.max(1, perPage));
}
