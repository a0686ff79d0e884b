import { PindaiError } from '../../core/errors.ts';
import type { ItemFlag } from '../../core/item.types.ts';
import { keys } from '../../core/store/keys.ts';
import { cleanPage, ROTATIONS, type Rotation } from '../engines/page-image.ts';
import { createPageSourceReader } from '../engines/page-source.ts';
import type { StageHandler } from '../stage.types.ts';
import { ocrInputOfCleaned } from './ocr-input.ts';

/**
 * Step 3a: straighten, crop and normalise each page; write the access image (also what OCR
 * reads), the PDF's page image, web derivative and thumbnail. Resumes at the first page not yet cleaned.
 */
/**
 * Below this share of ink a cleaned page looks blank. A lone page number is ~0.01% of an A4 page at
 * 300 dpi and one short line of text ~0.1%: only pages with at most a folio or a few specks fall under.
 */
const BLANK_INK_SHARE = 0.0003;

function blankPages(flags: readonly ItemFlag[]): number[] {
  const f = flags.find((x) => x.code === 'page_blank');
  return String(f?.params?.page ?? '')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

export const cleanStage: StageHandler = async ({ itemId, deps, signal, progress }) => {
  const { register, store, config } = deps;
  const pages = await register.pages.list(itemId);
  // Staff may choose rotation, deskew and border cropping per item; read on every run, so a
  // retry or a crash resumes with the same settings.
  const settings = (await register.itemSettings.cleanSettings(itemId)) ?? {};
  let done = 0;
  let skipped = 0;
  let turned = 0;
  let langs: readonly string[] | undefined;
  const sources = createPageSourceReader({ maxPixels: config.maxPixels, maxPages: config.maxPagesPerFile });
  try {
    for (const page of pages) {
      signal.throwIfAborted();
      if (page.cleanedAt && (await store.head(keys.access(itemId, page.pageNo)))) {
        skipped++;
        progress(++done, pages.length);
        continue;
      }
      const source = await sources.read(page, () => store.getBuffer(page.originalKey));
      const cleaned = await cleanPage(source.image, {
        page: source.subpage,
        maxPixels: config.maxPixels,
        settings,
        dpi: source.dpi ?? undefined,
        pageTurn: asRotation(page.rotateOverride),
        region: page.sourceRegion,
      }).catch((err: unknown) => {
        // The reason staff read names the page's file; the decoder's own words stay in the run's detail.
        throw err instanceof PindaiError
          ? new PindaiError(err.code, err.message, {
              params: { file: page.sourceFile, ...err.params },
              retryable: err.retryable,
              cause: err,
            })
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
      if (cleaned.inkShare < BLANK_INK_SHARE) {
        // Flagged, not failed: a blank page may be the book's own (endpapers), or a failed scan.
        const blank = [...blankPages((await register.items.get(itemId))?.flags ?? []), page.pageNo];
        await register.items.setFlag(itemId, {
          code: 'page_blank',
          params: { page: [...new Set(blank)].sort((a, b) => a - b).join(', ') },
        });
      }
      await register.pages.markCleaned(itemId, page.pageNo, {
        width: cleaned.width,
        height: cleaned.height,
        dpi: cleaned.dpi,
        skew: cleaned.skewDegrees,
        xHeight: cleaned.xHeightPx,
        orientation:
          cleaned.turnedBy === 'detected'
            ? { turn: cleaned.turn, confidence: cleaned.orientationConfidence ?? 0 }
            : null,
      });
      if (cleaned.turnedBy === 'detected' && cleaned.turn !== 0) turned++;
      if (deps.ocrAhead) {
        langs ??= (await register.itemSettings.ocrLangs(itemId)) ?? config.ocrLangs;
        deps.ocrAhead.offer(itemId, page.pageNo, langs, ocrInputOfCleaned(cleaned));
      }
      progress(++done, pages.length, true);
    }
  } finally {
    sources.close();
  }
  const chosen = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
  if (turned > 0) chosen.push(`${turned} turned upright`);
  return {
    outcome: 'done',
    detail: `${pages.length - skipped} cleaned, ${skipped} already clean${chosen.length ? ` (${chosen.join(', ')})` : ''}`,
  };
};

/** A stored per-page rotation, if it is one of the quarter turns (anything else: automatic). */
function asRotation(v: number | null): Rotation | null {
  return (ROTATIONS as readonly number[]).includes(v ?? -1) ? (v as Rotation) : null;
}
