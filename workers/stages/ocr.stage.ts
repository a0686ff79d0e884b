import pLimit from 'p-limit';
import type { OcrPageResult } from '../../core/ocr.types.ts';
import { keys } from '../../core/store/keys.ts';
import type { StageHandler } from '../stage.types.ts';
import { ocrInputOf, recognizeInput } from './ocr-input.ts';

/**
 * Step 3b: recognise every cleaned page (Indonesian + English by default). Words, lines and boxes
 * go to `ocr/pNNNN.json`, plain text to `ocr/pNNNN.txt`. A page that times out gets an empty text
 * layer and a flag for staff, not a failed book. Resumes at pages without OCR.
 */
export const ocrStage: StageHandler = async ({ itemId, deps, signal, progress }) => {
  const { register, store, ocr, config } = deps;
  const pages = await register.pages.list(itemId);
  // Staff may re-run an item with other languages (staff workspace); otherwise the configured ones.
  const langs = (await register.itemSettings.ocrLangs(itemId)) ?? config.ocrLangs;
  // Enough pages in flight to keep every OCR thread busy (the engine may read several per
  // process), few enough to bound memory.
  const limit = pLimit(Math.max(1, ocr.pagesInFlight ?? config.ocrWorkers));
  let done = 0;
  let redone = 0;
  let readAhead = 0;
  const timeouts: number[] = [];
  await Promise.all(
    pages.map((page) =>
      limit(async () => {
        signal.throwIfAborted();
        if (page.ocrAt && (await store.head(keys.ocrText(itemId, page.pageNo)))) {
          progress(++done, pages.length);
          return;
        }
        const input = await ocrInputOf(store, itemId, page);
        // Read ahead while the page was cleaned (this process only; else read here). The clean
        // stage measured the text size of this very page: OCR need not measure it again.
        const ahead = await deps.ocrAhead?.take(itemId, page.pageNo, langs, input.image)?.catch(() => null);
        if (ahead) readAhead++;
        const result: OcrPageResult = ahead ?? (await recognizeInput(ocr, input, langs));
        await store.put(keys.ocrJson(itemId, page.pageNo), Buffer.from(JSON.stringify(result)));
        // The text file is written last: its presence marks the page as recognised.
        await store.put(keys.ocrText(itemId, page.pageNo), Buffer.from(result.text, 'utf8'));
        const warning = result.warnings.length > 0 ? result.warnings.join(',') : null;
        if (result.warnings.includes('timeout')) timeouts.push(page.pageNo);
        await register.pages.markOcr(itemId, page.pageNo, {
          confidence: result.confidence,
          chars: result.text.length,
          warning,
        });
        redone++;
        progress(++done, pages.length, true);
      }),
    ),
  );
  if (timeouts.length > 0) {
    await register.items.addFlag(itemId, { code: 'ocr_timeout', params: { page: timeouts.join(', ') } });
  }
  return {
    outcome: 'done',
    detail: `${redone} recognised${readAhead ? ` (${readAhead} read ahead while cleaning)` : ''}, ${pages.length - redone} already done (${langs.join('+')})`,
  };
};
