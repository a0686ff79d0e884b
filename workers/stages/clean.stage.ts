import { PindaiError } from '../../core/errors.ts';
import { createItemSettingsQueries } from '../../core/register/item-settings.queries.ts';
import { keys } from '../../core/store/keys.ts';
import { cleanPage } from '../engines/page-image.ts';
import type { StageHandler } from '../stage.types.ts';

/**
 * Step 3a: straighten, crop and normalise each page; write the access image (also what OCR
 * reads), the PDF's page image, web derivative and thumbnail. Resumes at the first page not yet cleaned.
 */
export const cleanStage: StageHandler = async ({ itemId, deps, signal, progress }) => {
  const { register, store, config } = deps;
  const pages = register.pages.list(itemId);
  // Staff may choose rotation, deskew and border cropping per item; read on every run, so a
  // retry or a crash resumes with the same settings.
  const settings = createItemSettingsQueries(register.db).cleanSettings(itemId) ?? {};
  let done = 0;
  let skipped = 0;
  for (const page of pages) {
    signal.throwIfAborted();
    if (page.cleanedAt && (await store.head(keys.access(itemId, page.pageNo)))) {
      skipped++;
      progress(++done, pages.length);
      continue;
    }
    const original = await store.getBuffer(page.originalKey);
    const cleaned = await cleanPage(original, {
      page: page.sourceSubpage,
      maxPixels: config.maxPixels,
      settings,
      region: page.sourceRegion,
    }).catch((err: unknown) => {
      throw err instanceof PindaiError
        ? err
        : new PindaiError('image_corrupt', (err as Error).message, {
            params: { file: page.sourceFile, detail: (err as Error).message },
            cause: err,
          });
    });
    await store.put(keys.pdfImage(itemId, page.pageNo), cleaned.pdfImage);
    await store.put(keys.web(itemId, page.pageNo), cleaned.web);
    await store.put(keys.thumb(itemId, page.pageNo), cleaned.thumb);
    // The access image is written last: its presence marks the page as cleaned.
    await store.put(keys.access(itemId, page.pageNo), cleaned.access);
    register.pages.markCleaned(itemId, page.pageNo, {
      width: cleaned.width,
      height: cleaned.height,
      dpi: cleaned.dpi,
      skew: cleaned.skewDegrees,
    });
    progress(++done, pages.length, true);
  }
  const chosen = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
  return {
    outcome: 'done',
    detail: `${pages.length - skipped} cleaned, ${skipped} already clean${chosen.length ? ` (${chosen.join(', ')})` : ''}`,
  };
};
