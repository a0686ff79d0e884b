/**
 * How numbers, sizes, dates and durations read on every page (public collection and staff
 * workspace alike), so "7,9 MB" and "5 Desember 2026" look the same wherever they appear.
 * Dates are shown in UTC, as the register stores them.
 */
import { type Lang, localeOf } from './messages.ts';

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(lang: Lang, maxFraction: number): Intl.NumberFormat {
  const key = `${lang}:${maxFraction}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: maxFraction });
    numberFormats.set(key, f);
  }
  return f;
}

/** "480.000" and "1,5" in Indonesian, "480,000" and "1.5" in English. */
export function formatNumber(lang: Lang, n: number, maxFraction = 0): string {
  return nf(lang, maxFraction).format(n);
}

/** "7,9 MB": one decimal above a kilobyte, none for bytes. */
export function formatBytes(lang: Lang, bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${formatNumber(lang, v, u === 0 ? 0 : 1)} ${units[u]}`;
}

const UTC = { timeZone: 'UTC' } as const;

/** "5 Desember 2026" / "5 December 2026"; `medium` for table cells: "5 Des 2026". */
export function formatDate(
  lang: Lang,
  iso: string | null | undefined,
  style: 'long' | 'medium' = 'long',
): string {
  if (!iso) return '';
  return new Date(iso).toLocaleDateString(localeOf(lang), { ...UTC, dateStyle: style });
}

/** "6 Des 2026, 00.18" / "6 Dec 2026, 00:18". */
export function formatDateTime(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(localeOf(lang), { ...UTC, dateStyle: 'medium', timeStyle: 'short' });
}

/** A month key "2026-12" as "Desember 2026" / "December 2026"; anything else as it is. */
export function formatMonth(lang: Lang, month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)).toLocaleDateString(localeOf(lang), {
    ...UTC,
    month: 'long',
    year: 'numeric',
  });
}

const UNITS = {
  id: { s: 'dtk', m: 'mnt', h: 'jam' },
  en: { s: 's', m: 'min', h: 'h' },
} as const;

/** "48 ms", "1,7 dtk", "3 mnt 5 dtk", "2 jam 5 mnt" (English: s, min, h). */
export function formatDuration(lang: Lang, ms: number): string {
  const u = UNITS[lang];
  if (ms < 1000) return `${formatNumber(lang, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${formatNumber(lang, s, 1)} ${u.s}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} ${u.m} ${Math.round(s % 60)} ${u.s}`;
  return `${formatNumber(lang, Math.floor(m / 60))} ${u.h} ${m % 60} ${u.m}`;
}
