import sharp from 'sharp';

/** PDF page images are capped at this resolution: legible text, small files. */
const PDF_MAX_DPI = 200;
const PDF_JPEG_QUALITY = 60;

/**
 * The JPEG embedded in the PDF: the access image, downsampled to at most PDF_MAX_DPI. The text
 * layer is positioned in the access image's own coordinates, so any size works.
 */
export async function makePdfPageImage(access: Buffer, dpi: number): Promise<Buffer> {
  const meta = await sharp(access).metadata();
  const scale = Math.min(1, PDF_MAX_DPI / dpi);
  const width = Math.max(1, Math.round((meta.width ?? 1) * scale));
  return sharp(access)
    .resize({ width, kernel: 'lanczos3' })
    .greyscale()
    .jpeg({ quality: PDF_JPEG_QUALITY, mozjpeg: true, chromaSubsampling: '4:2:0' })
    .toBuffer();
}
