import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import {
  type PDFDocument as Doc,
  PDFDocument,
  type PDFFont,
  type PDFImage,
  type PDFPage,
  rgb,
} from 'pdf-lib';
import sharp from 'sharp';
import {
  type InventoryLetterhead,
  type InventoryPrint,
  longDate,
  type PrintInventory,
  remarksOf,
} from '../../core/inventory.ts';
import { localeOf, type MessageKey, t } from '../../core/messages.ts';
import type { InventoryEntry } from '../../core/register/inventory.queries.ts';

const require = createRequire(import.meta.url);
let fonts: { regular: Uint8Array; bold: Uint8Array } | undefined;
function fontBytes() {
  // DejaVu: every Latin letter Indonesian names use (é, ā, …), and the arrows and dashes below.
  fonts ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf')),
  };
  return fonts;
}

// A4 landscape, points.
const W = 842;
const H = 595;
const M = 28;
const BOTTOM = 40;
const SIZE = 7;
const LINE = 8.6;
const PAD = 2.5;
const GRID = rgb(0.55, 0.55, 0.55);

/** The columns, widths in points (they fill the 786 pt between the margins). */
const COLS: { key: MessageKey; w: number; align?: 'right' }[] = [
  { key: 'st_inv_no', w: 20, align: 'right' },
  { key: 'st_inv_nomor', w: 60 },
  { key: 'st_inv_date', w: 46 },
  { key: 'st_inv_source_nomor', w: 50 },
  { key: 'sd_inv_call_number', w: 50 },
  { key: 'st_inv_title_col', w: 122 },
  { key: 'st_inv_creator', w: 80 },
  { key: 'st_inv_publisher', w: 58 },
  { key: 'st_inv_year', w: 30, align: 'right' },
  { key: 'st_inv_pages', w: 38, align: 'right' },
  { key: 'st_inv_format', w: 46 },
  { key: 'st_inv_size', w: 46, align: 'right' },
  { key: 'st_inv_operator', w: 54 },
  { key: 'st_inv_remarks', w: 86 },
];

/**
 * `text` in lines no wider than `width`: wrapped at spaces (and after "/" or "-" when a word is
 * too long), a word wider than a line broken between letters. Nothing is ever cut off.
 */
export function wrapText(font: PDFFont, text: string, width: number, size: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  const pieces: string[] = [];
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    if (!word) continue;
    if (fits(word)) {
      pieces.push(word);
      continue;
    }
    // Too long for a line: break after / or -, then between letters.
    let rest = word;
    while (rest && !fits(rest)) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
      const soft = Math.max(rest.lastIndexOf('/', cut - 1), rest.lastIndexOf('-', cut - 1));
      if (soft > 0) cut = soft + 1;
      pieces.push(`${rest.slice(0, cut)}\u0000`);
      rest = rest.slice(cut);
    }
    if (rest) pieces.push(rest);
  }
  const lines: string[] = [];
  let cur = '';
  let glued = false;
  for (const p of pieces) {
    const joined = p.endsWith('\u0000');
    const piece = joined ? p.slice(0, -1) : p;
    const next = cur ? (glued ? `${cur}${piece}` : `${cur} ${piece}`) : piece;
    if (cur && !fits(next)) {
      lines.push(cur);
      cur = piece;
    } else cur = next;
    glued = joined;
  }
  if (cur) lines.push(cur);
  return lines;
}

const kb = (n: number, locale: string) =>
  n ? `${Math.max(1, Math.round(n / 1024)).toLocaleString(locale)} KB` : '';

async function embedLogo(doc: Doc, logo: InventoryLetterhead['logo']): Promise<PDFImage | undefined> {
  if (!logo) return undefined;
  const bytes = readFileSync(logo.path);
  if (logo.type === 'image/png') return doc.embedPng(bytes);
  if (logo.type === 'image/jpeg') return doc.embedJpg(bytes);
  // PDF has no SVG: drawn at print resolution first.
  return doc.embedPng(await sharp(bytes, { density: 300 }).resize({ height: 300 }).png().toBuffer());
}

/**
 * The Buku Inventaris Alih Media in the form staff print, sign and hand to a superior (pdf-lib,
 * DejaVu embedded): the library's letterhead, the period and filters in words, every cell wrapped
 * (never cut), the header row on every page, "Halaman n dari N", totals and a signature block.
 * The staff workspace receives it as its `printInventory` port, the letterhead bound here.
 */
export function createInventoryPrinter(letterhead: InventoryLetterhead): PrintInventory {
  return (rows, p) => buildInventoryPdf(rows, p, letterhead);
}

export async function buildInventoryPdf(
  rows: InventoryEntry[],
  p: InventoryPrint,
  head: InventoryLetterhead = { address: [], contact: [] },
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const { regular, bold } = fontBytes();
  const font = await doc.embedFont(regular, { subset: true });
  const fontB = await doc.embedFont(bold, { subset: true });
  const logo = await embedLogo(doc, head.logo);
  const tr = (k: MessageKey, params?: Record<string, string | number>) => t(p.lang, k, params);
  const locale = localeOf(p.lang);
  const title = tr('st_pdf_heading');
  const period = tr('sd_period', { period: p.period });
  doc.setTitle(`${tr('st_inv_title')} — ${p.period}`);
  doc.setAuthor(head.institution ?? 'Pindai');
  doc.setCreator('Pindai');
  doc.setLanguage(p.lang === 'id' ? 'id-ID' : 'en-GB');

  const pages: PDFPage[] = [];
  let page!: PDFPage;
  let y = 0;
  const centered = (text: string, size: number, f: PDFFont, at: number) =>
    page.drawText(text, { x: (W - f.widthOfTextAtSize(text, size)) / 2, y: at, size, font: f });

  /** The letterhead (kop surat), title, period and filters: the first page's top. */
  const letterheadBlock = () => {
    const lines: { text: string; size: number; f: PDFFont }[] = [
      ...(head.institution ? [{ text: head.institution.toUpperCase(), size: 13, f: fontB }] : []),
      ...(head.unit ? [{ text: head.unit, size: 11, f: fontB }] : []),
      ...head.address.map((text) => ({ text, size: 8.5, f: font })),
      ...(head.contact.length ? [{ text: head.contact.join(' · '), size: 8.5, f: font }] : []),
    ];
    if (lines.length || logo) {
      const top = y;
      for (const l of lines) {
        y -= l.size + 3;
        centered(l.text, l.size, l.f, y);
      }
      if (logo) {
        const h = 54;
        const w = (logo.width / logo.height) * h;
        page.drawImage(logo, { x: M + 6, y: top - h, width: w, height: h });
        y = Math.min(y, top - h);
      }
      y -= 7;
      page.drawLine({ start: { x: M, y }, end: { x: W - M, y }, thickness: 1.6 });
      page.drawLine({ start: { x: M, y: y - 2.5 }, end: { x: W - M, y: y - 2.5 }, thickness: 0.5 });
      y -= 8;
    }
    y -= 13;
    centered(title, 12, fontB, y);
    y -= 13;
    centered(period, 9, font, y);
    if (p.filters) {
      y -= 11;
      centered(p.filters, 9, font, y);
    }
    y -= 10;
  };

  const headerCells = COLS.map((c) => wrapText(fontB, tr(c.key), c.w - 2 * PAD, SIZE));
  const headerH = Math.max(...headerCells.map((l) => l.length)) * LINE + 2 * PAD;

  const drawRow = (cells: string[][], h: number, f: PDFFont, shade?: boolean) => {
    if (shade)
      page.drawRectangle({ x: M, y: y - h, width: W - 2 * M, height: h, color: rgb(0.9, 0.92, 0.95) });
    let x = M;
    for (const [j, lines] of cells.entries()) {
      const col = COLS[j] as (typeof COLS)[number];
      for (const [k, line] of lines.entries()) {
        const tx = col.align === 'right' ? x + col.w - PAD - f.widthOfTextAtSize(line, SIZE) : x + PAD;
        page.drawText(line, { x: tx, y: y - PAD - SIZE - k * LINE + 1, size: SIZE, font: f });
      }
      page.drawLine({ start: { x, y }, end: { x, y: y - h }, thickness: 0.4, color: GRID });
      x += col.w;
    }
    page.drawLine({ start: { x, y }, end: { x, y: y - h }, thickness: 0.4, color: GRID });
    page.drawLine({ start: { x: M, y }, end: { x: W - M, y }, thickness: 0.4, color: GRID });
    y -= h;
    page.drawLine({ start: { x: M, y }, end: { x: W - M, y }, thickness: 0.4, color: GRID });
  };

  const newPage = (table: boolean) => {
    page = doc.addPage([W, H]);
    pages.push(page);
    y = H - M;
    if (pages.length === 1) letterheadBlock();
    else {
      y -= 9;
      page.drawText(tr('sd_continued', { title: tr('st_inv_title'), period }), { x: M, y, size: 8, font });
      y -= 8;
    }
    if (table) drawRow(headerCells, headerH, fontB, true);
  };

  newPage(true);
  let totalPages = 0;
  for (const [i, e] of rows.entries()) {
    totalPages += e.pages;
    const cells = [
      String(i + 1),
      e.nomorInduk ?? '',
      longDate(e.date, p.lang),
      e.sourceNomorInduk ?? '',
      e.callNumber,
      e.title,
      e.creator,
      e.publisher,
      e.year ? String(e.year) : '',
      e.pages.toLocaleString(locale),
      `${e.sourceFormat ?? '–'} → ${e.resultFormat ?? '–'}`,
      kb(e.fileBytes, locale),
      e.operator ?? '',
      remarksOf(e, p.lang),
    ];
    const wrapped = cells.map((c, j) => wrapText(font, c, (COLS[j]?.w ?? 40) - 2 * PAD, SIZE));
    const h = Math.max(...wrapped.map((l) => l.length)) * LINE + 2 * PAD;
    if (y - h < BOTTOM) newPage(true);
    drawRow(wrapped, h, font);
  }
  if (rows.length === 0) {
    y -= 14;
    page.drawText(tr('sd_no_rows'), { x: M, y, size: 9, font });
  }

  // Totals and the signature block, kept together on one page.
  const signH = 150;
  if (y - signH < BOTTOM) newPage(false);
  y -= 16;
  page.drawText(
    tr('sd_total', { items: rows.length.toLocaleString(locale), pages: totalPages.toLocaleString(locale) }),
    { x: M, y, size: 9, font: fontB },
  );
  const sx = W - M - 230;
  let sy = y - 14;
  const sign = (text: string, f: PDFFont) => {
    page.drawText(text, { x: sx, y: sy, size: 10, font: f });
    sy -= 14;
  };
  sign(`${p.place}, ${longDate(p.date, p.lang)}`, font);
  for (const line of wrapText(
    font,
    tr('sd_sign_role', { unit: head.unit ?? tr('sd_sign_default_unit') }),
    230,
    10,
  ))
    sign(line, font);
  sy -= 50;
  const name = p.signer || '(.........................................)';
  page.drawText(name, { x: sx, y: sy, size: 10, font: fontB });
  page.drawLine({
    start: { x: sx, y: sy - 2 },
    end: { x: sx + fontB.widthOfTextAtSize(name, 10), y: sy - 2 },
    thickness: 0.6,
  });
  sy -= 14;
  sign(tr('sd_sign_nip', { nip: p.nip || '.......................................' }), font);

  for (const [i, pg] of pages.entries()) {
    const text = tr('st_pdf_page', { n: i + 1, total: pages.length });
    pg.drawText(text, { x: (W - font.widthOfTextAtSize(text, 8)) / 2, y: 18, size: 8, font });
  }
  return doc.save();
}
