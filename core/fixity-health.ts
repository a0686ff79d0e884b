import type { FixityRun } from './register/fixity.queries.ts';
import type { Register } from './register/register.ts';

const DAY_MS = 86_400_000;

/** How a run ended: whole and sound, found damage, stopped by an error, or not (yet) finished. */
export type FixityResult = 'ok' | 'damage' | 'failed' | 'unfinished';

/** The `fixity` field of /healthz, and what the staff home shows. */
export interface FixityHealth {
  /** `damage` while an item is flagged damaged; else `overdue` when no whole run for too long; else `ok`. */
  status: 'ok' | 'damage' | 'overdue';
  lastRun: {
    id: number;
    kind: FixityRun['kind'];
    startedAt: string;
    finishedAt: string | null;
    result: FixityResult;
    share: string;
    checkedItems: number;
    checkedObjects: number;
    mismatches: number;
    error: string | null;
  } | null;
  /** When the last run that checked its whole share finished. */
  lastCompletedAt: string | null;
  /** Items flagged damaged, until a repair or a later check clears them. */
  damagedItems: number;
  overdue: boolean;
  /** PINDAI_FIXITY_OVERDUE_DAYS (0: never overdue). */
  overdueDays: number;
}

export function resultOf(run: FixityRun): FixityResult {
  if (run.finishedAt === null) return 'unfinished';
  if (run.error !== null) return 'failed';
  return run.mismatches > 0 ? 'damage' : 'ok';
}

/**
 * Fixity as the register tells it. Overdue: no run has checked its whole share for `overdueDays`
 * days — counted from the last whole run, or, when there never was one, from the oldest available
 * item (a collection nobody has ever checked is overdue once it is that old).
 */
export async function fixityHealth(
  register: Pick<Register, 'fixity'>,
  opts: { overdueDays: number; now?: Date },
): Promise<FixityHealth> {
  const s = await register.fixity.summary();
  const now = (opts.now ?? new Date()).getTime();
  const since = s.lastCompleted?.finishedAt ?? s.oldestItemAt;
  const overdue =
    opts.overdueDays > 0 && since !== null && now - Date.parse(since) > opts.overdueDays * DAY_MS;
  const r = s.last;
  return {
    status: s.damagedItems > 0 ? 'damage' : overdue ? 'overdue' : 'ok',
    lastRun: r && {
      id: r.id,
      kind: r.kind,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      result: resultOf(r),
      share: `${r.sharePart}/${r.shareOf}`,
      checkedItems: r.checkedItems,
      checkedObjects: r.checkedObjects,
      mismatches: r.mismatches,
      error: r.error,
    },
    lastCompletedAt: s.lastCompleted?.finishedAt ?? null,
    damagedItems: s.damagedItems,
    overdue,
    overdueDays: opts.overdueDays,
  };
}
