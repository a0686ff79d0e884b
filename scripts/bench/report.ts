/** Formatting for the bench output: one line per figure, targets as ratios with PASS/FAIL. */

export const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : 'n/a');
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const num = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

export interface Target {
  name: string;
  /** Printed measured value, e.g. "7.9×". */
  value: string;
  goal: string;
  /** null = could not be measured. */
  pass: boolean | null;
}

export function printTargets(targets: Target[]): void {
  console.log('\nTargets');
  console.table(
    targets.map((t) => ({
      target: t.name,
      measured: t.value,
      goal: t.goal,
      result: t.pass === null ? 'NOT MEASURED' : t.pass ? 'PASS' : 'FAIL',
    })),
  );
}
