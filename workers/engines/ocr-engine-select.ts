/**
 * Picks the OCR engine: `native` (the tesseract binary, ~2× faster) or `tesseract-js` (no system
 * packages needed, the zero-install default). `auto` uses native when the binary runs and has
 * language data for every configured language, else tesseract.js.
 */
import { PindaiError } from '../../core/errors.ts';
import type { OcrEngine } from '../../core/ocr.types.ts';
import { createNativeTesseractEngine, probeNativeTesseract } from './native-tesseract.engine.ts';

export type OcrEngineChoice = 'auto' | 'tesseract-js' | 'native';

export interface OcrEngineSelectOptions {
  choice: OcrEngineChoice;
  langs: readonly string[];
  /** Parallel OCR threads / processes. */
  workers: number;
  timeoutMs: number;
  /** tesseract.js language folder. */
  langDir: string;
  /** Native engine: told why, when its resident processes cannot run (it then runs the CLI). */
  onResidentUnavailable?: (reason: string) => void;
}

export async function selectOcrEngine(opts: OcrEngineSelectOptions): Promise<OcrEngine> {
  if (opts.choice !== 'tesseract-js') {
    const info = await probeNativeTesseract();
    const missing = info ? opts.langs.filter((l) => !info.langs.includes(l)) : [...opts.langs];
    if (info && missing.length === 0) {
      return createNativeTesseractEngine(
        {
          processes: opts.workers,
          timeoutMs: opts.timeoutMs,
          onResidentUnavailable: opts.onResidentUnavailable,
        },
        info,
      );
    }
    if (opts.choice === 'native') {
      throw new PindaiError(
        'ocr_lang_missing',
        info
          ? `PINDAI_OCR_ENGINE=native but tesseract has no language data for ${missing.join(', ')} (apt-get install ${missing.map((l) => `tesseract-ocr-${l}`).join(' ')})`
          : 'PINDAI_OCR_ENGINE=native but the tesseract binary is not installed (apt-get install tesseract-ocr)',
        { params: { lang: missing.join(', ') } },
      );
    }
  }
  // Loaded only when chosen: tesseract.js is not needed where the native binary runs.
  const { createTesseractEngine } = await import('./tesseract-ocr.engine.ts');
  return createTesseractEngine({ workers: opts.workers, timeoutMs: opts.timeoutMs, langDir: opts.langDir });
}
