import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { type InventoryPrint, type PrintInventory, remarksOf } from '../../core/inventory.ts';
import { type MessageKey, t } from '../../core/messages.ts';
import type { InventoryEntry } from '../../core/register/inventory.queries.ts';

const require = createRequire(import.meta.url);
let fonts: { regular: Uint8Array; bold: Uint8Array } | undefined;
function fontBytes() {
  fonts ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf')),
  };
  return fonts;
}

// A4 landscape, points.
const W = 842;
const H = 595;
const M = 32;
const COLS: { key: MessageKey; w: number; align?: 'right' }[] = [
  { key: 'st_inv_no', w: 26, align: 'right' },
  { key: 'st_inv_nomor', w: 78 },
  { key: 'st_inv_date', w: 52 },
  { key: 'st_inv_source_nomor', w: 62 },
  { key: 'st_inv_title_col', w: 150 },
  { key: 'st_inv_creator', w: 90 },
  { key: 'st_inv_publisher', w: 70 },
  { key: 'st_inv_year', w: 30, align: 'right' },
  { key: 'st_inv_pages', w: 34, align: 'right' },
  { key: 'st_inv_format', w: 56 },
  { key: 'st_inv_size', w: 44, align: 'right' },
  { key: 'st_inv_remarks', w: 86 },
];
const SIZE = 7;
const LINE = 9;

function fitCell(font: PDFFont, text: string, width: number, size: number): string[] {
  // Up to two lines per cell, words wrapped, the rest cut with an ellipsis.
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    const next = cur ? `${cur} ${w}` : w;
    if (font.widthOfTextAtSize(next, size) <= width) cur = next;
    else {
      if (cur) lines.push(cur);
      cur = w;
      if (lines.length === 2) break;
    }
  }
  if (cur && lines.length < 2) lines.push(cur);
  const out = lines.slice(0, 2);
  const used = out.join(' ').length;
  let last = out[out.length - 1] ?? '';
  const cut = used < text.replace(/\s+/g, ' ').trim().length;
  while (last && font.widthOfTextAtSize(cut ? `${last}…` : last, size) > width) last = last.slice(0, -1);
  if (out.length) out[out.length - 1] = cut ? `${last}…` : last;
  return out;
}

const kb = (n: number) => (n ? `${Math.max(1, Math.round(n / 1024)).toLocaleString('id-ID')} KB` : '');

/**
 * The Buku Inventaris Alih Media for a period, in the form staff print and sign (pdf-lib, DejaVu
 * fonts embedded). The staff workspace receives it as its `printInventory` port.
 */
export const buildInventoryPdf: PrintInventory = async (rows: InventoryEntry[], p: InventoryPrint) => {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const { regular, bold } = fontBytes();
  const font = await doc.embedFont(regular, { subset: true });
  const fontB = await doc.embedFont(bold, { subset: true });
  const tr = (k: MessageKey, params?: Record<string, string | number>) => t(p.lang, k, params);
  doc.setTitle(tr('st_pdf_heading'));
  doc.setCreator('Pindai');

  const period = tr('st_pdf_period', {
    from: p.from ?? tr('st_pdf_all_time'),
    to: p.to ?? tr('st_pdf_all_time'),
  });
  const pages: PDFPage[] = [];
  let page!: PDFPage;
  let y = 0;

  const header = () => {
    page = doc.addPage([W, H]);
    pages.push(page);
    y = H - M;
    if (p.institution) {
      page.drawText(p.institution, { x: M, y: y - 10, size: 10, font: fontB });
      y -= 14;
    }
    page.drawText(tr('st_pdf_heading'), { x: M, y: y - 12, size: 13, font: fontB });
    page.drawText(period, { x: M, y: y - 26, size: 9, font });
    y -= 40;
    let x = M;
    page.drawRectangle({ x: M, y: y - 14, width: W - 2 * M, height: 16, color: rgb(0.9, 0.92, 0.95) });
    for (const c of COLS) {
      const [label = ''] = fitCell(fontB, tr(c.key), c.w - 4, SIZE);
      page.drawText(label, { x: x + 2, y: y - 9, size: SIZE, font: fontB });
      x += c.w;
    }
    y -= 16;
  };

  header();
  let totalPages = 0;
  for (const [i, e] of rows.entries()) {
    totalPages += e.pages;
    const cells = [
      String(i + 1),
      e.nomorInduk ?? '',
      e.date.slice(0, 10),
      e.sourceNomorInduk ?? '',
      e.title,
      e.creator,
      e.publisher,
      e.year ? String(e.year) : '',
      String(e.pages),
      `${e.sourceFormat ?? '-'} → ${e.resultFormat ?? '-'}`,
      kb(e.fileBytes),
      [t(p.lang, `st_status_${e.status}`), remarksOf(e, p.lang)].filter(Boolean).join('; '),
    ];
    const fitted = cells.map((c, j) => fitCell(font, c, (COLS[j]?.w ?? 40) - 4, SIZE));
    const h = Math.max(...fitted.map((l) => l.length)) * LINE + 4;
    if (y - h < M + 20) header();
    let x = M;
    for (const [j, lines] of fitted.entries()) {
      const col = COLS[j] ?? { w: 40, align: undefined };
      for (const [k, line] of lines.entries()) {
        const tx = col.align === 'right' ? x + col.w - 2 - font.widthOfTextAtSize(line, SIZE) : x + 2;
        page.drawText(line, { x: tx, y: y - 8 - k * LINE, size: SIZE, font });
      }
      x += col.w;
    }
    y -= h;
    page.drawLine({ start: { x: M, y }, end: { x: W - M, y }, thickness: 0.3, color: rgb(0.7, 0.7, 0.7) });
  }

  // Totals and the signature block, kept together on one page.
  if (y < M + 130) header();
  y -= 14;
  page.drawText(tr('st_pdf_total', { items: rows.length, pages: totalPages }), {
    x: M,
    y,
    size: 9,
    font: fontB,
  });
  const sx = W - M - 220;
  const dateText = new Date(`${p.date}T00:00:00Z`).toLocaleDateString(p.lang === 'id' ? 'id-ID' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  let sy = y - 10;
  page.drawText(`${p.place}, ${dateText}`, { x: sx, y: sy, size: 10, font });
  sy -= 14;
  page.drawText(tr('st_pdf_sign_role'), { x: sx, y: sy, size: 10, font });
  sy -= 60;
  const name = p.signer || '( ..................................... )';
  page.drawText(name, { x: sx, y: sy, size: 10, font: fontB });
  page.drawLine({
    start: { x: sx, y: sy - 2 },
    end: { x: sx + fontB.widthOfTextAtSize(name, 10), y: sy - 2 },
    thickness: 0.5,
  });
  sy -= 13;
  page.drawText(`NIP. ${p.nip || '.......................................'}`, {
    x: sx,
    y: sy,
    size: 10,
    font,
  });

  for (const [i, pg] of pages.entries()) {
    const text = tr('st_pdf_page', { n: i + 1, total: pages.length });
    pg.drawText(text, { x: W - M - font.widthOfTextAtSize(text, 8), y: M - 14, size: 8, font });
  }
  return doc.save();
};
