/**
 * Which files an item's METS lists and where they point: the public METS (absolute URLs of what
 * the public may fetch) and the one `pindai export` writes (the files beside it), with the ALTO of
 * every recognised page for the export.
 */
import type { Item, Page } from '../../core/item.types.ts';
import { t } from '../../core/messages.ts';
import { keys } from '../../core/store/keys.ts';
import { buildAlto } from './alto.ts';
import type { CollectionDeps } from './collection-deps.ts';
import { storedOcr } from './iiif.routes.ts';
import { altoUrl, imageServiceId } from './iiif-manifest.ts';
import { buildMets, dublinCoreOf, type MetsFile, masterFiles } from './mets.ts';
import {
  fullSize,
  isPublicItem,
  type PublicItem,
  publicItemOf,
  scaledSize,
  THUMB_WIDTH,
  WEB_WIDTH,
} from './public-item.ts';
import { urls } from './urls.ts';

/** The files of the public METS: only what the public may fetch of this item, as absolute URLs. */
export function publicMetsFiles(base: string, pub: PublicItem, pages: Page[]): MetsFile[] {
  const id = pub.item.id;
  const open = pub.access === 'open';
  const img = (p: Page, width: number) =>
    `${imageServiceId(base, id, p.pageNo)}/full/${width},/0/default.jpg`;
  const pad = (n: number) => String(n).padStart(4, '0');
  const files: MetsFile[] = [];
  if (open) files.push(...masterFiles(pages));
  for (const p of pages) {
    const one = { pages: [p.pageNo] };
    if (open)
      files.push({
        id: `MAX_${pad(p.pageNo)}`,
        use: 'MAX',
        mime: 'image/jpeg',
        href: img(p, fullSize(p).width),
        ...one,
      });
    files.push({
      id: `DEFAULT_${pad(p.pageNo)}`,
      use: 'DEFAULT',
      mime: 'image/jpeg',
      href: img(p, scaledSize(p, WEB_WIDTH).width),
      ...one,
    });
    files.push({
      id: `THUMBS_${pad(p.pageNo)}`,
      use: 'THUMBS',
      mime: 'image/jpeg',
      href: img(p, scaledSize(p, THUMB_WIDTH).width),
      ...one,
    });
    if (p.ocrAt !== null)
      files.push({
        id: `FULLTEXT_${pad(p.pageNo)}`,
        use: 'FULLTEXT',
        mime: 'application/xml',
        href: altoUrl(base, id, p.pageNo),
        ...one,
      });
  }
  if (pub.canDownload)
    files.push({
      id: 'DOWNLOAD_PDF',
      use: 'DOWNLOAD',
      mime: 'application/pdf',
      href: `${base}${urls.pdf(id)}`,
      ...(pub.item.pdfBytes !== null && { size: pub.item.pdfBytes }),
      pages: [],
    });
  return files;
}

/**
 * METS and ALTO of an item for `pindai export`, pointing at the files written beside them (the PDF
 * and `alto/hlm-NNNN.xml`); the originals with their checksums (not copied, not located); the
 * page images at their public URLs when the item is public and the public URL is configured.
 */
export async function exportedMetsAlto(
  deps: Pick<CollectionDeps, 'store'>,
  item: Item,
  pages: Page[],
  opts: { pdfName: string; altoName: (pageNo: number) => string; publicUrl?: string },
): Promise<{ mets: string; alto: Array<{ pageNo: number; xml: string }> }> {
  const pub = isPublicItem(item) ? publicItemOf(item) : null;
  const base = opts.publicUrl?.replace(/\/+$/, '');
  const alto: Array<{ pageNo: number; xml: string }> = [];
  for (const p of pages) {
    const ocr = await storedOcr(deps, item.id, p.pageNo);
    if (!ocr) continue;
    const lang = item.metadata.language?.[0];
    alto.push({
      pageNo: p.pageNo,
      xml: buildAlto(ocr, {
        pageNo: p.pageNo,
        imageRef: base && pub ? imageServiceId(base, item.id, p.pageNo) : keys.access(item.id, p.pageNo),
        ...(lang && { lang }),
      }),
    });
  }
  const withAlto = new Set(alto.map((a) => a.pageNo));
  const images =
    base && pub
      ? publicMetsFiles(base, pub, pages).filter((f) => ['MAX', 'DEFAULT', 'THUMBS'].includes(f.use))
      : [];
  const pad = (n: number) => String(n).padStart(4, '0');
  const files: MetsFile[] = [
    ...masterFiles(pages),
    ...images,
    ...pages
      .filter((p) => withAlto.has(p.pageNo))
      .map(
        (p): MetsFile => ({
          id: `FULLTEXT_${pad(p.pageNo)}`,
          use: 'FULLTEXT',
          mime: 'application/xml',
          href: opts.altoName(p.pageNo),
          pages: [p.pageNo],
        }),
      ),
    {
      id: 'DOWNLOAD_PDF',
      use: 'DOWNLOAD',
      mime: 'application/pdf',
      href: opts.pdfName,
      ...(item.pdfBytes !== null && { size: item.pdfBytes }),
      pages: [],
    },
  ];
  const itemUrl = base ? `${base}${urls.item(item.id)}` : `urn:pindai:${item.id}`;
  const rights = item.metadata.license ?? (pub ? accessStatement(pub) : null);
  const mets = buildMets({
    objId: itemUrl,
    item,
    dc: dublinCoreOf(item, itemUrl, rights),
    agent: t('id', 'site_name'),
    pageNos: pages.map((p) => p.pageNo),
    files,
  });
  return { mets, alto };
}

/** The words a rights statement has when no licence URI is known: the access level. */
export const accessStatement = (pub: PublicItem) => t('id', `access_${pub.access}`);
