/**
 * The intake probe (core/image-probe.ts): an image file (JPEG, PNG, TIFF) or a PDF whose pages are
 * the item's pages. Every page is checked at intake so a broken file is refused before anything is
 * stored: images are decoded, a PDF page's embedded scan is decoded and other PDF pages are
 * rendered at a tiny size.
 */
import sharp from 'sharp';
import { PindaiError } from '../../core/errors.ts';
import type { ImageInfo, ProbeOptions } from '../../core/image-probe.ts';
import { probeImage } from './page-image.ts';
import { isPdf, openPdfSource } from './pdf-source.ts';

export async function probeSource(data: Buffer, opts: ProbeOptions): Promise<ImageInfo> {
  if (data.length > 0 && isPdf(data)) return probePdf(data, opts);
  const info = await probeImage(data, opts);
  return { ...info, pageSizes: info.pageSizes };
}

async function probePdf(data: Buffer, opts: ProbeOptions): Promise<ImageInfo> {
  const pdf = await openPdfSource(data, opts);
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
      pageSizes.push({ width: plan.width, height: plan.height, density: plan.dpi });
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
