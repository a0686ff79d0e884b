import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PindaiError } from '../../core/errors.ts';

const require = createRequire(import.meta.url);

/** LSTM-only "best_int" models: what @tesseract.js-data ships for OEM 1, and all we load. */
export const LANG_DATA_VARIANT = '4.0.0_best_int';

// Codes double as package names and file names, so anything else is refused before touching the disk.
const LANG_CODE = /^[a-z][a-z_]*$/;

/** Path of `<lang>.traineddata.gz` inside the installed `@tesseract.js-data/<lang>` package. */
export function resolveLangFile(lang: string): string {
  const missing = (detail: string, cause?: unknown) =>
    new PindaiError('ocr_lang_missing', `OCR language "${lang}" is not available: ${detail}`, {
      params: { lang },
      cause,
    });
  if (!LANG_CODE.test(lang)) throw missing('not a tesseract language code');
  try {
    return require.resolve(`@tesseract.js-data/${lang}/${LANG_DATA_VARIANT}/${lang}.traineddata.gz`);
  } catch (err) {
    throw missing(`install the npm package @tesseract.js-data/${lang}`, err);
  }
}

/**
 * Places the traineddata of `langs` side by side in `langDir` (tesseract.js reads every language from
 * one `langPath`). Copies go through a temporary name and a rename so that a concurrent reader, or a
 * process killed mid-copy, never sees a truncated file: tesseract.js crashes on bad data.
 */
export async function ensureLangFiles(langDir: string, langs: readonly string[]): Promise<void> {
  await mkdir(langDir, { recursive: true });
  await Promise.all(
    langs.map(async (lang) => {
      const src = resolveLangFile(lang);
      const dest = path.join(langDir, `${lang}.traineddata.gz`);
      const [srcStat, destStat] = await Promise.all([stat(src), stat(dest).catch(() => null)]);
      if (destStat?.size === srcStat.size) return;
      const tmp = `${dest}.${process.pid}.${Date.now()}.tmp`;
      await copyFile(src, tmp);
      await rename(tmp, dest);
    }),
  );
}
