import type { Stage } from '../../core/item.types.ts';
import type { StageRun } from '../../core/register/runs.queries.ts';

/**
 * The SOP alih media's time standards (Mutu Baku — Waktu) and the Pindai stages each covers:
 * registration 5 minutes per book, conversion 1 hour per item, database entry 5 minutes per file.
 */
export const SOP_STEPS = [
  { key: 'st_sop_registration', stages: ['register'], standardMs: 5 * 60_000 },
  { key: 'st_sop_conversion', stages: ['clean', 'ocr', 'pdf'], standardMs: 60 * 60_000 },
  { key: 'st_sop_entry', stages: ['publish'], standardMs: 5 * 60_000 },
] as const satisfies readonly { key: string; stages: readonly Stage[]; standardMs: number }[];

/** Time spent per SOP step: every attempt counts (failed ones were work too); null if not run yet. */
export function sopTimes(runs: StageRun[]) {
  return SOP_STEPS.map((step) => {
    const mine = runs.filter((r) => (step.stages as readonly string[]).includes(r.stage));
    const doneAll = step.stages.every((s) =>
      mine.some((r) => r.stage === s && (r.outcome === 'done' || r.outcome === 'skipped')),
    );
    const measuredMs = mine.length ? mine.reduce((n, r) => n + r.durationMs, 0) : null;
    return {
      ...step,
      measuredMs,
      complete: doneAll,
      over: measuredMs !== null && measuredMs > step.standardMs,
    };
  });
}
