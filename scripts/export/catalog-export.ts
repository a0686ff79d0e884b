/**
 * `pindai export … --for inlislite|slims`: what a library uploads to its own catalogue so the
 * digitised copy is found there too. Per item, the PDF in at most 3 files of at most 12 MB
 * (INLISLite's "konten digital" limits; page ranges in the names); for all items together, one
 * MARCXML collection (each record with an 856 link to the item's public page) and one CSV in the
 * target's own import columns (the same names `pindai catalog import` reads, so the two round-trip).
 *
 * Fails closed: only public items (the 856 link must lead somewhere a patron may go), and the PDF
 * only of `open` items (a catalogue serves its files to anyone; a read-online item's PDF is not
 * downloadable here either).
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { create } from 'xmlbuilder2';
import { publicAccessOf } from '../../core/access.ts';
import { csvText } from '../../core/csv.ts';
import { PindaiError } from '../../core/errors.ts';
import type { Item } from '../../core/item.types.ts';
import type { Lang } from '../../core/messages.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import { FORMATS, list, writeMarcXml } from '../../server/oai/oai-metadata.ts';
import { PdfSplitError, splitPdf } from '../../workers/engines/pdf-split.ts';
import { safeName } from './bagit.ts';

export const CATALOG_TARGETS = ['inlislite', 'slims'] as const;
export type CatalogTarget = (typeof CATALOG_TARGETS)[number];

/** INLISLite's konten digital: files per record and bytes per file. */
export const UPLOAD_LIMITS = { maxFiles: 3, maxBytes: 12 * 1024 * 1024 };

/** Import columns of each target, and how an item fills them. */
const COLUMNS: Record<CatalogTarget, Array<[string, (i: Item, url: string) => string]>> = {
  inlislite: [
    ['Title', (i) => i.title],
    ['Author', (i) => list(i.metadata.creator).join('; ')],
    ['Edition', (i) => i.metadata.edition ?? ''],
    ['Publisher', (i) => i.metadata.publisher ?? ''],
    ['PublishLocation', (i) => i.metadata.place ?? ''],
    ['PublishYear', (i) => (i.metadata.year === undefined ? '' : String(i.metadata.year))],
    ['Subject', (i) => list(i.metadata.subjects).join('; ')],
    ['ISBN', (i) => i.metadata.isbn ?? ''],
    ['CallNumber', (i) => i.metadata.callNumber ?? ''],
    ['Languages', (i) => list(i.metadata.language).join('; ')],
    ['NoInduk', (i) => i.metadata.sourceNomorInduk ?? ''],
    ['URL', (_i, url) => url],
  ],
  slims: [
    ['title', (i) => i.title],
    ['edition', (i) => i.metadata.edition ?? ''],
    ['isbn_issn', (i) => i.metadata.isbn ?? ''],
    ['publisher_name', (i) => i.metadata.publisher ?? ''],
    ['publish_year', (i) => (i.metadata.year === undefined ? '' : String(i.metadata.year))],
    ['call_number', (i) => i.metadata.callNumber ?? ''],
    ['language_name', (i) => list(i.metadata.language).join('; ')],
    ['place_name', (i) => i.metadata.place ?? ''],
    ['notes', (_i, url) => url],
    // SLiMS writes each name and topic in angle brackets.
    [
      'authors',
      (i) =>
        list(i.metadata.creator)
          .map((c) => `<${c}>`)
          .join(''),
    ],
    [
      'topics',
      (i) =>
        list(i.metadata.subjects)
          .map((s) => `<${s}>`)
          .join(''),
    ],
    ['item_code', (i) => i.metadata.barcode ?? ''],
  ],
};

export interface CatalogExportResult {
  dir: string;
  items: number;
  pdfFiles: number;
  /** Items whose PDF was left out (read-online), by nomor induk. */
  withoutPdf: string[];
}

export async function exportForCatalog(
  deps: { store: ObjectStore },
  items: Item[],
  to: string,
  opts: { target: CatalogTarget; publicUrl: string | undefined; lang: Lang },
): Promise<CatalogExportResult> {
  if (!opts.publicUrl) {
    throw new PindaiError(
      'EXPORT_NO_PUBLIC_URL',
      'PINDAI_PUBLIC_URL belum diatur: tautan 856 ke halaman publik item butuh alamat situs yang tetap.',
    );
  }
  const base = opts.publicUrl.replace(/\/+$/, '');
  for (const item of items) {
    if (publicAccessOf(item) === null) {
      throw new PindaiError(
        'EXPORT_NOT_PUBLIC',
        `Item ${item.nomorInduk ?? item.id} tidak publik (akses: ${item.metadata.rights ?? 'tidak diketahui'}); ` +
          'katalog menautkan ke halaman publiknya, jadi item ini tidak diekspor.',
        { params: { item: item.id } },
      );
    }
  }
  const dir = path.resolve(to);
  await fsp.mkdir(dir, { recursive: true });
  const urlOf = (i: Item) => `${base}/item/${i.id}`;
  let pdfFiles = 0;
  const withoutPdf: string[] = [];
  for (const item of items) {
    const name = safeName(item.nomorInduk ?? item.id);
    if (publicAccessOf(item) !== 'open' || !item.pdfKey) {
      withoutPdf.push(item.nomorInduk ?? item.id);
      continue;
    }
    let parts: Awaited<ReturnType<typeof splitPdf>>;
    try {
      parts = await splitPdf(await deps.store.getBuffer(item.pdfKey), UPLOAD_LIMITS);
    } catch (err) {
      if (!(err instanceof PdfSplitError)) throw err;
      throw new PindaiError(
        'EXPORT_PDF_TOO_LARGE',
        `PDF item ${item.nomorInduk ?? item.id} tidak muat dalam ${UPLOAD_LIMITS.maxFiles} berkas ` +
          `@ ${UPLOAD_LIMITS.maxBytes / 1024 / 1024} MB (mulai halaman ${err.page}).`,
        { params: { item: item.id, page: err.page } },
      );
    }
    const pad = (n: number) => String(n).padStart(String(item.pageCount).length, '0');
    for (const p of parts) {
      const range = parts.length === 1 ? '' : `_hlm-${pad(p.from)}-${pad(p.to)}`;
      await fsp.writeFile(path.join(dir, `${name}${range}.pdf`), p.bytes);
      pdfFiles++;
    }
  }
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(FORMATS.marcxml.namespace, 'marc:collection');
  for (const item of items) {
    writeMarcXml(doc, {
      item,
      access: publicAccessOf(item) ?? 'read-online',
      url: urlOf(item),
      lang: opts.lang,
    });
  }
  await fsp.writeFile(path.join(dir, 'marc.xml'), doc.end({ prettyPrint: true }));
  const columns = COLUMNS[opts.target];
  await fsp.writeFile(
    path.join(dir, `katalog-${opts.target}.csv`),
    csvText([columns.map(([h]) => h), ...items.map((i) => columns.map(([, cell]) => cell(i, urlOf(i))))]),
  );
  return { dir, items: items.length, pdfFiles, withoutPdf };
}
