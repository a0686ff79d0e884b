import { type Lang, t } from '../../core/messages.ts';
import type { ItemStep, StepRecord } from '../../core/register/steps.queries.ts';

/*
 * The SOP report: staff time, not machine time. What Pindai sees of the human work is the steps
 * the register records with who and when (core/register/steps.queries.ts): a batch handed in
 * (arrived), accepted, an access decision (reviewed), publication. Staff time per step is taken
 * from them, never from stage runs (those are the machine's milliseconds).
 */

/** The SOP norms (Mutu Baku — Waktu) and the working day the capacity is counted on. */
export const SOP_NORMS = {
  registrationMs: 5 * 60_000,
  conversionMs: 60 * 60_000,
  entryMs: 5 * 60_000,
  workdayMs: 8 * 3600_000,
} as const;

/**
 * Two steps of one person further apart than this (on one day) are a break or other work: the
 * second is not counted as time spent on it.
 */
export const MAX_STEP_GAP_MS = 2 * 3600_000;

/** Items per working day per operator the norms allow: a working day ÷ 1 hour of conversion. */
export const SOP_ITEMS_PER_DAY = SOP_NORMS.workdayMs / SOP_NORMS.conversionMs;

export interface SopItemTimes {
  itemId: string;
  operator: string | null;
  arrivedAt: string;
  publishedAt: string | null;
}
export interface SopStep {
  itemId: string;
  step: string;
  at: string;
  username: string | null;
  staffMs: number | null;
}

/** Median (the mean of the two middle values for an even count) and p90 (nearest rank); null if none. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}
export function p90(values: number[]): number | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  return v[Math.ceil(0.9 * v.length) - 1] as number;
}

/**
 * Staff time of each step of `kind` per person: the time recorded with the step when something
 * measured it, else the time since the same person's previous step of that kind on the same day
 * (UTC), when at most MAX_STEP_GAP_MS. A person's first step of a day, with nothing recorded,
 * is not measured.
 */
export function staffTimes(steps: SopStep[], kind: string): { username: string; at: string; ms: number }[] {
  const out: { username: string; at: string; ms: number }[] = [];
  const last = new Map<string, number>();
  const mine = steps.filter((s) => s.step === kind && s.username).sort((a, b) => a.at.localeCompare(b.at));
  for (const s of mine) {
    const who = s.username as string;
    const t = Date.parse(s.at);
    const key = `${who}\u0000${s.at.slice(0, 10)}`;
    const prev = last.get(key);
    last.set(key, t);
    if (s.staffMs !== null) out.push({ username: who, at: s.at, ms: s.staffMs });
    else if (prev !== undefined && t - prev <= MAX_STEP_GAP_MS)
      out.push({ username: who, at: s.at, ms: t - prev });
  }
  return out;
}

interface Elapsed {
  items: number;
  available: number;
  medianMs: number | null;
  p90Ms: number | null;
}
function elapsedOf(items: SopItemTimes[]): Elapsed {
  const ms = items.flatMap((i) =>
    i.publishedAt ? [Date.parse(i.publishedAt) - Date.parse(i.arrivedAt)] : [],
  );
  return { items: items.length, available: ms.length, medianMs: median(ms), p90Ms: p90(ms) };
}

/** The SOP steps as Pindai can measure them: who does them, which recorded step, the norm. */
export const SOP_MEASURES = [
  {
    key: 'sd_sop_scan_register',
    step: 'arrived',
    normMs: SOP_NORMS.registrationMs + SOP_NORMS.conversionMs,
  },
  { key: 'sd_sop_entry', step: 'reviewed', normMs: SOP_NORMS.entryMs },
] as const;

/**
 * The SOP report for items that arrived in a period: elapsed time from arrival to availability per
 * month and per operator, staff time per SOP step against its norm, and capacity (items per
 * working day per operator) against the norms'.
 */
export function sopReport(items: SopItemTimes[], steps: SopStep[]) {
  const group = <K extends string>(key: (i: SopItemTimes) => K) => {
    const m = new Map<K, SopItemTimes[]>();
    for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
    return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  };
  const arrivals = steps.filter((s) => s.step === 'arrived');
  const perStep = SOP_MEASURES.map((m) => {
    const times = staffTimes(steps, m.step);
    const med = median(times.map((x) => x.ms));
    return { ...m, measured: times.length, medianMs: med, over: med !== null && med > m.normMs };
  });
  const scanTimes = staffTimes(steps, 'arrived');
  const entryTimes = staffTimes(steps, 'reviewed');
  const inMonth = (times: { at: string; ms: number }[], month: string) =>
    median(times.filter((x) => x.at.startsWith(month)).map((x) => x.ms));
  const operators = group((i) => i.operator ?? '-').map(([operator, mine]) => {
    const days = new Set(mine.map((i) => i.arrivedAt.slice(0, 10))).size;
    const own = scanTimes.filter((x) => x.username === operator).map((x) => x.ms);
    return {
      operator,
      ...elapsedOf(mine),
      days,
      perDay: days ? mine.length / days : 0,
      staffMedianMs: median(own),
    };
  });
  const operatorDays = operators.reduce((n, o) => n + o.days, 0);
  return {
    months: group((i) => i.arrivedAt.slice(0, 7)).map(([month, mine]) => ({
      month,
      ...elapsedOf(mine),
      scanMedianMs: inMonth(scanTimes, month),
      entryMedianMs: inMonth(entryTimes, month),
    })),
    operators,
    total: elapsedOf(items),
    steps: perStep,
    capacity: {
      sopPerDay: SOP_ITEMS_PER_DAY,
      actualPerDay: operatorDays ? items.length / operatorDays : null,
      operatorDays,
    },
    arrivalsRecorded: arrivals.length,
  };
}

/** A staff or calendar duration in words, to the minute: "45 menit", "1 jam 5 menit", "2 hari 3 jam". */
export function staffDuration(ms: number | null, lang: Lang): string {
  if (ms === null) return '–';
  const m = Math.round(ms / 60_000);
  if (m < 1) return t(lang, 'sd_dur_under_min');
  const parts: string[] = [];
  if (m < 60) parts.push(t(lang, 'sd_dur_min', { n: m }));
  else if (m < 24 * 60) {
    parts.push(t(lang, 'sd_dur_hour', { n: Math.floor(m / 60) }));
    if (m % 60) parts.push(t(lang, 'sd_dur_min', { n: m % 60 }));
  } else {
    const h = Math.round((m % (24 * 60)) / 60);
    parts.push(t(lang, 'sd_dur_day', { n: Math.floor(m / (24 * 60)) }));
    if (h) parts.push(t(lang, 'sd_dur_hour', { n: h }));
  }
  return parts.join(' ');
}

/** The norms' time for one item, all staff steps together: registration, conversion, entry. */
export const SOP_ITEM_NORM_MS = SOP_NORMS.registrationMs + SOP_NORMS.conversionMs + SOP_NORMS.entryMs;

export interface ItemStepView {
  step: ItemStep;
  at: string;
  username: string | null;
  /** Staff time as the SOP report counts it (recorded, or the gap since the person's previous step). */
  staffMs: number | null;
  /** The norm of the SOP step this step is measured against; null for steps no norm covers. */
  normMs: number | null;
  over: boolean | null;
}

/**
 * One item as the SOP sees it: its human steps with who and when, each measured step's staff time
 * against its norm (counted as in the SOP report, so `sameDays` must hold every step taken on the
 * days of the item's steps), and the calendar time from arrival to availability against the norms'
 * time for one item. An item registered before steps were recorded counts from its receiving to
 * its available time, as in the report.
 */
export function itemSop(
  item: { createdAt: string; availableAt: string | null },
  steps: StepRecord[],
  sameDays: SopStep[],
) {
  const rows: ItemStepView[] = steps.map((s) => {
    const measure = SOP_MEASURES.find((m) => m.step === s.step);
    const staffMs = measure
      ? (staffTimes(sameDays, s.step).find((x) => x.username === s.username && x.at === s.at)?.ms ?? null)
      : null;
    return {
      step: s.step,
      at: s.at,
      username: s.username,
      staffMs,
      normMs: measure?.normMs ?? null,
      over: measure && staffMs !== null ? staffMs > measure.normMs : null,
    };
  });
  const first = (step: ItemStep) => steps.find((s) => s.step === step)?.at ?? null;
  const arrivedAt = first('arrived') ?? item.createdAt;
  const availableAt = first('published') ?? (steps.length === 0 ? item.availableAt : null);
  const elapsedMs = availableAt ? Date.parse(availableAt) - Date.parse(arrivedAt) : null;
  return {
    rows,
    arrivedAt,
    availableAt,
    elapsedMs,
    normMs: SOP_ITEM_NORM_MS,
    over: elapsedMs === null ? null : elapsedMs > SOP_ITEM_NORM_MS,
  };
}
