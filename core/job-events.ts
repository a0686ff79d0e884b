import type { Stage } from './item.types.ts';

/** Events the job runner emits: per-page progress and each stage run's end (live queue, CLI). */
export interface ProgressEvent {
  itemId: string;
  stage: Stage;
  done: number;
  total: number;
}

export interface StageEvent {
  itemId: string;
  stage: Stage;
  outcome: 'done' | 'skipped' | 'retry' | 'failed' | 'lost';
  durationMs: number;
  error?: string;
}
