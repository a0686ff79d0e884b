import type { OcrPageResult } from '../../core/ocr.types.ts';
import { keys } from '../../core/store/keys.ts';
import { buildSearchablePdf, type PdfPageInput } from '../engines/pdf-builder.ts';
import { makePdfPageImage } from '../engines/pdf-page-image.ts';
import type { StageHandler } from '../stage.types.ts';

/** Step 3c: one searchable PDF per item — page images with an invisible OCR text layer. */
export const pdfStage: StageHandler = async ({ itemId, deps, signal, progress }) => {
  const { register, store } = deps;
  const item = await register.items.get(itemId);
  if (!item) throw new Error(`item ${itemId} not found`);
  const pages = await register.pages.list(itemId);
  const inputs: PdfPageInput[] = [];
  for (const page of pages) {
    signal.throwIfAborted();
    const dpi = page.cleanDpi ?? 300;
    // Items cleaned by versions that did not store the page image get it cut from the access image.
    const stored = keys.pdfImage(itemId, page.pageNo);
    const image = (await store.head(stored))
      ? await store.getBuffer(stored)
      : await makePdfPageImage(await store.getBuffer(keys.access(itemId, page.pageNo)), dpi);
    const ocr = JSON.parse(
      (await store.getBuffer(keys.ocrJson(itemId, page.pageNo))).toString('utf8'),
    ) as OcrPageResult;
    inputs.push({
      image,
      width: page.cleanWidth ?? ocr.width,
      height: page.cleanHeight ?? ocr.height,
      dpi,
      ocr,
    });
    progress(inputs.length, pages.length);
  }
  const m = item.metadata;
  const pdf = await buildSearchablePdf(inputs, {
    title: item.title,
    author: m.creator?.join('; '),
    subject: m.description ?? m.subjects?.join('; '),
    keywords: m.subjects,
    language: m.language?.[0] === 'eng' ? 'en' : 'id',
    created: new Date(item.createdAt),
    modified: new Date(item.createdAt),
    producer: 'Pindai',
    identifier: item.nomorInduk ?? item.id,
  });
  const key = keys.pdf(itemId);
  const put = await store.put(key, Buffer.from(pdf), { contentType: 'application/pdf' });
  await register.items.setPdf(itemId, key, put.size);
  return { outcome: 'done', detail: `${pages.length} pages, ${put.size} bytes` };
};
