import type { StageHandlers } from './stage.types.ts';
import { cleanStage } from './stages/clean.stage.ts';
import { ocrStage } from './stages/ocr.stage.ts';
import { publishStage } from './stages/publish.stage.ts';
import { registerStage } from './stages/register.stage.ts';

export const STAGE_HANDLERS: StageHandlers = {
  register: registerStage,
  clean: cleanStage,
  ocr: ocrStage,
  // pdf-lib and fontkit (~0.5 s to load) come with the first item to reach this stage, not at start-up.
  pdf: async (ctx) => (await import('./stages/pdf.stage.ts')).pdfStage(ctx),
  publish: publishStage,
};
