/**
 * The intake probe (core/image-probe.ts): an image file (JPEG, PNG, TIFF) or a PDF whose pages are
 * the item's pages. Every page is checked at intake so a broken file is refused before anything is
 * stored: images are decoded, and a PDF page's embedded scan is decoded. Wide pages are looked at
 * for two-page spreads (spread.ts), which become two pages.
 */
import sharp from 'sharp';
import { PindaiError } from '../../core/errors.ts';
import type { ImageInfo, ProbeOptions, SourcePageInfo } from '../../core/image-probe.ts';
import { probeImage } from './page-image.ts';
import { isPdf } from './pdf-magic.ts';
import type { openPdfSource } from './pdf-source.ts';
import { detectSpread, spreadRegions } from './spread.ts';

export async function probeSource(data: Buffer, opts: ProbeOptions): Promise<ImageInfo> {
  if (data.length > 0 && isPdf(data)) return probePdf(data, opts);
  const info = await probeImage(data, opts);
  const pageSizes: SourcePageInfo[] = [];
  for (const [page, size] of info.pageSizes.entries()) {
    // Long multi-page TIFFs are book pages, not spreads: each open of one of their pages costs
    // time in the page count, so they are not looked at.
    pageSizes.push(
      info.pages <= MAX_SPREAD_CHECKS ? await withSpread(size, data, page, opts.maxPixels) : size,
    );
  }
  return { ...info, pageSizes };
}

/** Pages of one file looked at for spreads (a spread is a wide image, not a page of a long TIFF). */
const MAX_SPREAD_CHECKS = 64;

/** The page, with its two halves when it is a two-page spread (only wide images are looked at). */
async function withSpread(
  size: SourcePageInfo,
  image: Buffer,
  page: number,
  maxPixels: number,
): Promise<SourcePageInfo> {
  const long = Math.max(size.width, size.height);
  const short = Math.max(1, Math.min(size.width, size.height));
  if (long / short < 1.2) return size; // neither way round wider than tall: never a spread
  const found = await detectSpread(image, { page, maxPixels });
  if (!found) return size;
  if (!found.split) return { ...size, maybeSpread: true };
  const upright = (await sharp(image, { page, limitInputPixels: false }).metadata()).autoOrient;
  return { ...size, split: spreadRegions(found.splitX, upright.width) };
}

async function probePdf(data: Buffer, opts: ProbeOptions): Promise<ImageInfo> {
  // pdf-lib and PDFium load with the first PDF, not at every start-up (~0.2 CPU s).
  const pdf = await (await import('./pdf-source.ts')).openPdfSource(data, opts);
  try {
    const pageSizes: ImageInfo['pageSizes'] = [];
    for (let i = 0; i < pdf.pageCount; i++) {
      const plan = pdf.plan(i);
      if (plan.width * plan.height > opts.maxPixels) {
        throw new PindaiError(
          'image_too_large',
          `PDF page ${i + 1} holds a ${plan.width}x${plan.height} image`,
          {
            params: { width: plan.width, height: plan.height, maxPixels: opts.maxPixels },
          },
        );
      }
      await checkPage(pdf, i, opts.maxPixels);
      const size = { width: plan.width, height: plan.height, density: plan.dpi };
      const wide = plan.width >= 1.2 * plan.height && i < MAX_SPREAD_CHECKS;
      pageSizes.push(wide ? await withSpread(size, (await pdf.extract(i)).image, 0, opts.maxPixels) : size);
    }
    const first = pageSizes[0] as ImageInfo['pageSizes'][number];
    return { format: 'pdf', pages: pdf.pageCount, ...first, pageSizes };
  } finally {
    pdf.close();
  }
}

/** Decodes the page's embedded scan in full (cheaply, shrunk on load), or renders the page small. */
async function checkPage(pdf: Awaited<ReturnType<typeof openPdfSource>>, i: number, maxPixels: number) {
  const plan = pdf.plan(i);
  try {
    if (plan.kind === 'render') return; // rendered at clean time; the document itself opened fine
    const { image } = await pdf.extract(i);
    await sharp(image, { failOn: 'truncated', limitInputPixels: maxPixels }).resize(64).raw().toBuffer();
  } catch (err) {
    if (err instanceof PindaiError) throw err;
    throw new PindaiError('pdf_broken', `page ${i + 1}: ${(err as Error).message.split('\n')[0]}`, {
      params: { detail: `halaman ${i + 1} tidak terbaca` },
      cause: err,
    });
  }
}
