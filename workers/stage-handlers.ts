import type { StageHandlers } from './stage.types.ts';
import { cleanStage } from './stages/clean.stage.ts';
import { ocrStage } from './stages/ocr.stage.ts';
import { pdfStage } from './stages/pdf.stage.ts';
import { publishStage } from './stages/publish.stage.ts';
import { registerStage } from './stages/register.stage.ts';

export const STAGE_HANDLERS: StageHandlers = {
  register: registerStage,
  clean: cleanStage,
  ocr: ocrStage,
  pdf: pdfStage,
  publish: publishStage,
};
