import type { Logger } from 'pino';
import type { Config } from '../core/config.ts';
import type { Stage } from '../core/item.types.ts';
import type { OcrEngine } from '../core/ocr.types.ts';
import type { Register } from '../core/register/register.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import type { SearchIndex } from '../search/search-index.ts';
import type { OcrReadAhead } from './ocr-read-ahead.ts';

export interface StageDeps {
  register: Register;
  store: ObjectStore;
  index: SearchIndex;
  ocr: OcrEngine;
  config: Config;
  log: Logger;
  /** Pages the clean stage has handed to OCR ahead of the OCR stage (this process only). */
  ocrAhead?: OcrReadAhead;
}

export interface StageContext {
  /** A job carries the item id only; the stage loads what it needs. */
  itemId: string;
  deps: StageDeps;
  signal: AbortSignal;
  /**
   * Per-page progress for the live queue and progress bars. `saved`: this page's result was just
   * stored (durable progress, not a page skipped as already done); the runner then stops blaming
   * the job for earlier process crashes.
   */
  progress(done: number, total: number, saved?: boolean): void;
}

export type StageOutcome = { outcome: 'done'; detail?: string } | { outcome: 'skipped'; reason: string };

/**
 * A stage loads its inputs from the register and store, writes outputs under deterministic keys
 * and returns an outcome. It MUST be safe to run twice (a crash re-runs it), MUST NOT record its
 * own stage runs (the runner does), and throws PindaiError for expected failures.
 */
export type StageHandler = (ctx: StageContext) => Promise<StageOutcome>;

export type StageHandlers = Record<Stage, StageHandler>;
