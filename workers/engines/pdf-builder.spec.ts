import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PindaiError } from '../../core/errors.ts';
import type { OcrBlock, OcrLine, OcrPageResult } from '../../core/ocr.types.ts';
import { buildSearchablePdf, type PdfMetadata, type PdfPageInput } from './pdf-builder.ts';
import { textLayerOperators } from './pdf-text-layer.ts';

// A 300-dpi A4 scan with ~50 px text on a 70 px line pitch.
const W = 2480;
const H = 3508;
const DPI = 300;
const TEXT_H = 50;
const PITCH = 70;
const CHAR_W = 25;
const SPACE_W = 18;

interface LayoutOptions {
  /** Left edge of each column, pixels. */
  columnX: number[];
  columnWidth: number;
  top: number;
  /** Extra space between paragraphs, in line pitches. */
  paragraphGap?: number;
  confidence?: number;
}

/**
 * Synthetic OCR result: one block per column, one paragraph per string, words wrapped at the column
 * width with fixed-width glyphs, the way tesseract reports them (boxes, baselines, reading order).
 */
function layoutPage(columns: string[][], o: LayoutOptions): OcrPageResult {
  const blocks: OcrBlock[] = columns.map((paragraphs, ci) => {
    const x0 = o.columnX[ci] ?? 0;
    let y = o.top;
    const paras = paragraphs.map((text) => {
      const lines: OcrLine[] = [];
      let words: OcrLine['words'] = [];
      let x = x0;
      const flush = () => {
        const first = words[0]?.bbox.x0 ?? x0;
        const last = words.at(-1)?.bbox.x1 ?? x0;
        const base = y + Math.round(TEXT_H * 0.78);
        lines.push({
          bbox: { x0: first, y0: y, x1: last, y1: y + TEXT_H },
          baseline: { x0: first, y0: base, x1: last, y1: base },
          words,
        });
        words = [];
        x = x0;
        y += PITCH;
      };
      for (const word of text.split(/\s+/)) {
        const w = [...word].length * CHAR_W;
        if (x + w > x0 + o.columnWidth && words.length) flush();
        words.push({
          text: word,
          confidence: o.confidence ?? 93,
          bbox: { x0: x, y0: y, x1: x + w, y1: y + TEXT_H },
        });
        x += w + SPACE_W;
      }
      if (words.length) flush();
      const bbox = { x0, y0: lines[0]?.bbox.y0 ?? y, x1: x0 + o.columnWidth, y1: lines.at(-1)?.bbox.y1 ?? y };
      y += Math.round(PITCH * (o.paragraphGap ?? 0));
      return { bbox, lines };
    });
    return { bbox: { x0, y0: o.top, x1: x0 + o.columnWidth, y1: y }, paragraphs: paras };
  });
  const text = columns.map((c) => c.join('\n\n')).join('\n\n');
  return { width: W, height: H, text, confidence: 93, blocks, warnings: [], engine: 'synthetic' };
}

/** A lone OCR word in its own block (dust, headings). */
function wordBlock(
  text: string,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  confidence: number,
): OcrBlock {
  const bbox = { x0, y0, x1, y1 };
  return {
    bbox,
    paragraphs: [{ bbox, lines: [{ bbox, baseline: null, words: [{ text, confidence, bbox }] }] }],
  };
}

const LEFT = [
  'Perpustakaan daerah membuka layanan baca setiap hari kerja bagi semua pemustaka yang datang.',
  'Petugas membantu mencari buku majalah dan surat kabar lama di ruang koleksi yang sejuk.',
];
const RIGHT = [
  'Naskah tua yang rapuh dipindai halaman demi halaman lalu disimpan dalam bentuk digital.',
  'Setiap bahan pustaka dicatat dalam buku induk dengan nomor yang tidak dipakai ulang.',
];
const TWO_COLUMNS: LayoutOptions = { columnX: [200, 1290], columnWidth: 990, top: 300, paragraphGap: 0.5 };

let dir: string;
let blankJpeg: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pindai-pdf-'));
  blankJpeg = await sharp({ create: { width: W, height: H, channels: 3, background: '#ffffff' } })
    .jpeg()
    .toBuffer();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fileNo = 0;
function save(pdf: Uint8Array): string {
  const file = path.join(dir, `out-${++fileNo}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

function pdftotext(file: string, ...args: string[]): string {
  return execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', ...args, file, '-'], { encoding: 'utf8' });
}

function pdfinfo(file: string, ...args: string[]): string {
  return execFileSync('/usr/bin/pdfinfo', [...args, file], { encoding: 'utf8' });
}

function page(ocr: OcrPageResult | null, image = blankJpeg): PdfPageInput {
  return { image, width: W, height: H, dpi: DPI, ocr };
}

const META: PdfMetadata = { title: 'Uji', created: new Date('2024-05-01T08:00:00Z') };

/** Collapse whitespace so assertions do not depend on poppler's line breaking. */
function flat(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

describe('buildSearchablePdf', () => {
  it('makes one page per input', async () => {
    const ocr = layoutPage([LEFT], TWO_COLUMNS);
    const file = save(await buildSearchablePdf([page(ocr), page(null), page(ocr)], META));
    expect(pdfinfo(file)).toMatch(/^Pages:\s+3$/m);
  });

  it('sizes each page as px * 72 / dpi', async () => {
    const small = await sharp({ create: { width: 100, height: 150, channels: 3, background: '#fff' } })
      .jpeg()
      .toBuffer();
    const pages: PdfPageInput[] = [
      page(null),
      { image: small, width: 1000, height: 1500, dpi: 200, ocr: null },
    ];
    const info = pdfinfo(save(await buildSearchablePdf(pages, META)), '-f', '1', '-l', '2');
    expect(info).toMatch(/Page\s+1 size:\s+595\.2 x 841\.92 pts/);
    expect(info).toMatch(/Page\s+2 size:\s+360 x 540 pts/);
  });

  it('extracts the left column fully before the right one, in default and -raw modes', async () => {
    // Paragraph tops and bottoms line up across the columns: poppler takes a grid of paragraph
    // blocks for a table and reads it row by row unless each column stays one block.
    const ocr = layoutPage([LEFT, RIGHT], TWO_COLUMNS);
    const file = save(await buildSearchablePdf([page(ocr)], META));
    const expected = [...LEFT, ...RIGHT];
    for (const mode of [[], ['-raw']]) {
      const text = flat(pdftotext(file, ...mode));
      const positions = expected.map((sentence) => text.indexOf(sentence));
      expect(
        positions.every((p) => p >= 0),
        `${mode.join('') || 'default'}: ${text}`,
      ).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
  });

  it('keeps columns apart across a narrow gutter with lines straying into it (default mode)', async () => {
    // A gutter of a fifth of a line height, and one line of each column reaching into it: without
    // care poppler pulls the right column into the left one's block and reads the page row by row.
    const ocr = layoutPage([LEFT, RIGHT], { ...TWO_COLUMNS, columnX: [200, 1150], columnWidth: 930 });
    const lines = ocr.blocks.map((b) => b.paragraphs[0]!.lines[0]!);
    lines[0]!.words.at(-1)!.bbox.x1 += 25;
    lines[0]!.bbox.x1 += 25;
    lines[1]!.words[0]!.bbox.x0 -= 25;
    lines[1]!.bbox.x0 -= 25;
    const text = flat(pdftotext(save(await buildSearchablePdf([page(ocr)], META))));
    const positions = [...LEFT, ...RIGHT].map((sentence) => text.indexOf(sentence));
    expect(
      positions.every((p) => p >= 0),
      text,
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('cuts a line OCR ran across a narrow gutter, so each half stays in its column (default mode)', async () => {
    // tesseract sometimes joins the end of a left-column line to the start of the right-column
    // line beside it, as one line in a block of its own; its box then bridges the gutter.
    const ocr = layoutPage([LEFT, RIGHT], {
      ...TWO_COLUMNS,
      columnX: [200, 1150],
      columnWidth: 930,
      paragraphGap: 2,
    });
    const gapY =
      (ocr.blocks[0]!.paragraphs[0]!.bbox.y1 + ocr.blocks[0]!.paragraphs[1]!.bbox.y0) / 2 - TEXT_H / 2;
    const word = (text: string, x0: number) => ({
      text,
      confidence: 90,
      bbox: { x0, y0: gapY, x1: x0 + [...text].length * CHAR_W, y1: gapY + TEXT_H },
    });
    const words = [word('akhirkiri', 900), word('awalkanan', 1200)];
    const bbox = { x0: 900, y0: gapY, x1: words[1]!.bbox.x1, y1: gapY + TEXT_H };
    const base = gapY + Math.round(TEXT_H * 0.78);
    ocr.blocks.push({
      bbox,
      paragraphs: [
        { bbox, lines: [{ bbox, baseline: { x0: 900, y0: base, x1: bbox.x1, y1: base }, words }] },
      ],
    });
    const text = flat(pdftotext(save(await buildSearchablePdf([page(ocr)], META))));
    const order = [LEFT[0]!, 'akhirkiri', LEFT[1]!, RIGHT[0]!, 'awalkanan', RIGHT[1]!];
    const positions = order.map((part) => text.indexOf(part));
    expect(
      positions.every((p) => p >= 0),
      text,
    ).toBe(true);
    expect(
      [...positions].sort((a, b) => a - b),
      text,
    ).toEqual(positions);
  });

  it('reads both columns before a centred page number in the gutter (default mode)', async () => {
    // Full columns, one OCR block per paragraph, as tesseract reports a real page.
    const para = (i: number, side: string) =>
      `${side} paragraf ${i} ${[...LEFT, ...RIGHT].join(' ')} akhir ${side}${i}.`.replace(/\.(?=.)/g, '');
    const left = Array.from({ length: 3 }, (_, i) => para(i, 'kiri'));
    const right = Array.from({ length: 3 }, (_, i) => para(i, 'kanan'));
    const ocr = layoutPage([left, right], TWO_COLUMNS);
    ocr.blocks = ocr.blocks.flatMap((b) => b.paragraphs.map((p) => ({ bbox: p.bbox, paragraphs: [p] })));
    const y0 = 3300;
    const footer = { x0: 1210, y0, x1: 1270, y1: y0 + TEXT_H };
    ocr.blocks.push({
      bbox: footer,
      paragraphs: [
        {
          bbox: footer,
          lines: [{ bbox: footer, baseline: null, words: [{ text: '37', confidence: 95, bbox: footer }] }],
        },
      ],
    });
    const text = flat(pdftotext(save(await buildSearchablePdf([page(ocr)], META))));
    const positions = [...left, ...right].map((p) => text.indexOf(p.split(' ').slice(-2).join(' ')));
    positions.push(text.lastIndexOf('37'));
    expect(
      positions.every((p) => p >= 0),
      text,
    ).toBe(true);
    expect(
      [...positions].sort((a, b) => a - b),
      text,
    ).toEqual(positions);
  });

  it('keeps a justified line with wide gaps in one piece (no table-cell split)', async () => {
    const ocr = layoutPage([LEFT, RIGHT], TWO_COLUMNS);
    const line = ocr.blocks[0]!.paragraphs[0]!.lines[0]!;
    line.words = line.words.slice(0, 3);
    // Justify the first line: spread its three words over the whole column width.
    const n = line.words.length;
    const free = TWO_COLUMNS.columnWidth - line.words.reduce((a, w) => a + (w.bbox.x1 - w.bbox.x0), 0);
    let x = TWO_COLUMNS.columnX[0]!;
    for (const w of line.words) {
      const width = w.bbox.x1 - w.bbox.x0;
      w.bbox = { ...w.bbox, x0: x, x1: x + width };
      x += width + free / Math.max(1, n - 1);
    }
    const text = pdftotext(save(await buildSearchablePdf([page(ocr)], META)));
    expect(text).toContain(line.words.map((w) => w.text).join(' '));
  });

  it('writes a line OCR split into separate blocks as one line, in -raw and default modes', async () => {
    // On a cleaned 1-bit page tesseract may take a few words of a justified line out of it (the
    // words beside a wide justified space) and report them as a block of their own after the
    // column; the content stream then read them after the paragraph, out of their sentence.
    const ocr = layoutPage([LEFT, RIGHT], { ...TWO_COLUMNS, paragraphGap: 0 });
    const lineOf = (b: number, p: number, l: number) => ocr.blocks[b]!.paragraphs[p]!.lines[l]!;
    const fragments: OcrBlock[] = [];
    const takeOut = (line: OcrLine, from: number, to: number) => {
      const words = line.words.splice(from, to - from);
      const bbox = {
        x0: words[0]!.bbox.x0,
        y0: line.bbox.y0 + 3,
        x1: words.at(-1)!.bbox.x1,
        y1: line.bbox.y1 - 2,
      };
      // The host line keeps its box when the fragment came from its middle, shrinks otherwise.
      line.bbox = { ...line.bbox, x0: line.words[0]!.bbox.x0, x1: line.words.at(-1)!.bbox.x1 };
      const base = bbox.y1 - 9;
      const baseline = { x0: bbox.x0, y0: base, x1: bbox.x1, y1: base };
      fragments.push({ bbox, paragraphs: [{ bbox, lines: [{ bbox, baseline, words }] }] });
    };
    takeOut(lineOf(0, 0, 1), 2, 4); // the middle of a left-column line
    takeOut(lineOf(0, 1, 0), lineOf(0, 1, 0).words.length - 2, lineOf(0, 1, 0).words.length); // its end
    takeOut(lineOf(1, 0, 1), 0, 1); // the start of a right-column line
    const middle = lineOf(0, 0, 1);
    middle.bbox = { ...middle.bbox, x0: middle.words[0]!.bbox.x0, x1: TWO_COLUMNS.columnX[0]! + 950 };
    // tesseract lists the fragments after the column they sit in, as blocks of their own.
    ocr.blocks.splice(1, 0, fragments[0]!, fragments[1]!);
    ocr.blocks.push(fragments[2]!);
    const file = save(await buildSearchablePdf([page(ocr)], META));
    const raw = flat(pdftotext(file, '-raw'));
    // Content order as `pdftotext -raw` reads it: the whole text, column by column.
    expect(raw).toBe(flat([...LEFT, ...RIGHT].join(' ')));
    const plain = flat(pdftotext(file));
    const positions = [...LEFT, ...RIGHT].map((sentence) => plain.indexOf(sentence));
    expect(
      positions.every((p) => p >= 0),
      plain,
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('writes short justified lines OCR cut into one block per word column as lines, in -raw order', async () => {
    // Two justified lines of three words each, their words spread over the column width: tesseract
    // reported one block per column of words (rightmost first), each holding a word of both lines.
    const ocr = layoutPage([LEFT, RIGHT], TWO_COLUMNS);
    const x0 = TWO_COLUMNS.columnX[0]!;
    const gap = Math.round(PITCH * 0.5);
    const rows = [
      ['Penyiangan', 'koleksi', 'dilakukan'],
      ['secara', 'berkala', 'untuk'],
    ];
    // A paragraph of its own after the left column's first one: the second moves down to make room.
    const left = ocr.blocks[0]!.paragraphs;
    const top = left[0]!.lines.at(-1)!.bbox.y0 + PITCH + gap;
    const shift = rows.length * PITCH + gap;
    for (const line of left[1]!.lines) {
      line.bbox = { ...line.bbox, y0: line.bbox.y0 + shift, y1: line.bbox.y1 + shift };
      const b = line.baseline!;
      line.baseline = { ...b, y0: b.y0 + shift, y1: b.y1 + shift };
      for (const w of line.words) w.bbox = { ...w.bbox, y0: w.bbox.y0 + shift, y1: w.bbox.y1 + shift };
    }
    const blocks: OcrBlock[] = [2, 1, 0].map((k) => {
      const lines: OcrLine[] = rows.map((row, r) => {
        const text = row[k]!;
        const w = [...text].length * CHAR_W;
        // Justified: first word at the left edge, last at the right, the middle one between.
        const wx = k === 0 ? x0 : k === 2 ? x0 + TWO_COLUMNS.columnWidth - w : x0 + 450;
        const y = top + r * PITCH;
        const bbox = { x0: wx, y0: y, x1: wx + w, y1: y + TEXT_H };
        const base = y + Math.round(TEXT_H * 0.78);
        const baseline = { x0: wx, y0: base, x1: wx + w, y1: base };
        return { bbox, baseline, words: [{ text, confidence: 95, bbox }] };
      });
      const bbox = { ...lines[0]!.bbox, y1: lines[1]!.bbox.y1 };
      return { bbox, paragraphs: [{ bbox, lines }] };
    });
    ocr.blocks.splice(1, 0, ...blocks);
    const file = save(await buildSearchablePdf([page(ocr)], META));
    const expected = flat([LEFT[0], rows.flat().join(' '), LEFT[1], ...RIGHT].join(' '));
    expect(flat(pdftotext(file, '-raw'))).toBe(expected);
    expect(flat(pdftotext(file))).toBe(expected);
  });

  it('puts spaces between words and keeps each word whole', async () => {
    const ocr = layoutPage([['satu dua tiga empat lima enam tujuh delapan sembilan sepuluh']], TWO_COLUMNS);
    const text = pdftotext(save(await buildSearchablePdf([page(ocr)], META)));
    expect(flat(text)).toBe('satu dua tiga empat lima enam tujuh delapan sembilan sepuluh');
  });

  it('keeps spaces between words whose OCR boxes nearly touch (blurred low-resolution text)', async () => {
    const ocr = layoutPage([LEFT, RIGHT], TWO_COLUMNS);
    for (const line of ocr.blocks.flatMap((b) => b.paragraphs.flatMap((p) => p.lines))) {
      // Boxes grown by the glyphs' blurred edges: 5 px left between words, under 0.1 font size.
      for (const [i, w] of line.words.entries()) {
        const next = line.words[i + 1];
        if (next) w.bbox = { ...w.bbox, x1: next.bbox.x0 - 5 };
      }
    }
    const file = save(await buildSearchablePdf([page(ocr)], META));
    for (const mode of [[], ['-raw']]) {
      const text = flat(pdftotext(file, ...mode));
      for (const para of [...LEFT, ...RIGHT]) expect(text).toContain(para);
    }
  });

  it('writes a real space glyph after every word but the last of a line', () => {
    // poppler infers spaces from gaps anyway; other viewers (Preview, some copy/paste paths) need glyphs.
    const ocr = layoutPage([['satu dua tiga']], TWO_COLUMNS);
    const encoder = {
      encode: (t: string) => ({ hex: t === ' ' ? '0003' : 'AAAA'.repeat(t.length), advance: 600 }),
    };
    const geometry = { pageHeightPt: 841.92, kx: 0.24, ky: 0.24, widthPx: W, heightPx: H };
    const shows = [...textLayerOperators(ocr, geometry, '/F1', encoder).matchAll(/<([0-9A-F]*)> Tj/g)];
    expect(shows.map((m) => m[1] === '0003')).toEqual([false, true, false, true, false]);
  });

  it('aligns each word with its OCR box (Tz) and gives each column one font size, 20%+ apart', async () => {
    // A gutter wider than 1.6 font sizes: nothing needs squeezing, so every box is kept exactly.
    const ocr = layoutPage([LEFT, RIGHT], { ...TWO_COLUMNS, columnX: [200, 1390] });
    const html = pdftotext(save(await buildSearchablePdf([page(ocr)], META)), '-bbox');
    const words = [
      ...html.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)</g),
    ];
    const boxes = ocr.blocks.flatMap((b) => b.paragraphs.flatMap((p) => p.lines.flatMap((l) => l.words)));
    expect(words).toHaveLength(boxes.length);
    const k = 72 / DPI;
    words.forEach((m, i) => {
      const box = boxes[i]?.bbox;
      expect(m[5]).toBe(boxes[i]?.text);
      expect(Math.abs(Number(m[1]) - (box?.x0 ?? 0) * k)).toBeLessThan(0.2);
      expect(Math.abs(Number(m[3]) - (box?.x1 ?? 0) * k)).toBeLessThan(0.2);
    });
    // One size down each column (poppler keeps a column in one block), neighbours more than 20%
    // apart (poppler then never fuses two columns' lines into one).
    const leftWords = ocr.blocks[0]!.paragraphs.flatMap((p) => p.lines.flatMap((l) => l.words)).length;
    const height = (m: RegExpMatchArray) => Number(m[4]) - Number(m[2]);
    const left = new Set(words.slice(0, leftWords).map((m) => height(m).toFixed(2)));
    const right = new Set(words.slice(leftWords).map((m) => height(m).toFixed(2)));
    expect(left.size).toBe(1);
    expect(right.size).toBe(1);
    const [l, r] = [Number([...left][0]), Number([...right][0])];
    expect(Math.abs(l - r) / Math.min(l, r)).toBeGreaterThan(0.2);
  });

  it('survives any Unicode and keeps what the font can show', async () => {
    const ocr = layoutPage(
      [['Kāmus café ﬁnal ≥ 5 كتاب βιβλίο 📚 buku', 'sebelum\u0007sesudah cafe\u0301 akhir']],
      TWO_COLUMNS,
    );
    const text = flat(pdftotext(save(await buildSearchablePdf([page(ocr)], META))));
    expect(text).toContain('Kāmus café');
    expect(text).toContain('βιβλίο');
    expect(text).toContain('buku');
    expect(text).not.toContain('📚');
    // Control characters stripped, decomposed accents composed (NFC).
    expect(text).toContain('sebelumsesudah café akhir');
  });

  it('writes document info, /Lang and an XMP packet', async () => {
    const meta: PdfMetadata = {
      title: 'Sejarah Kota <Lama> & Baru',
      author: 'Dinas Perpustakaan',
      subject: 'Alih media koleksi langka',
      keywords: ['sejarah', 'kota lama'],
      language: 'id',
      created: new Date('2024-05-01T08:00:00Z'),
      modified: new Date('2024-06-02T09:30:00Z'),
      identifier: 'INV-0042/2024',
    };
    const bytes = await buildSearchablePdf([page(null)], meta);
    const file = save(bytes);
    const info = pdfinfo(file);
    expect(info).toMatch(/^Title:\s+Sejarah Kota <Lama> & Baru$/m);
    expect(info).toMatch(/^Author:\s+Dinas Perpustakaan$/m);
    expect(info).toMatch(/^Subject:\s+Alih media koleksi langka$/m);
    expect(info).toMatch(/^Keywords:\s+sejarah, kota lama$/m);
    expect(info).toMatch(/^Producer:\s+Pindai$/m);
    expect(info).toMatch(/^Creator:\s+Pindai$/m);
    expect(info).toMatch(/^CreationDate:\s+Wed May\s+1 08:00:00 2024 UTC$/m);
    expect(info).toMatch(/^ModDate:\s+Sun Jun\s+2 09:30:00 2024 UTC$/m);
    expect(info).toMatch(/^Metadata Stream:\s+yes$/m);

    const xmp = pdfinfo(file, '-meta');
    expect(xmp).toContain('<rdf:li xml:lang="x-default">Sejarah Kota &lt;Lama&gt; &amp; Baru</rdf:li>');
    expect(xmp).toContain('<dc:creator><rdf:Seq><rdf:li>Dinas Perpustakaan</rdf:li></rdf:Seq></dc:creator>');
    expect(xmp).toContain('<rdf:li xml:lang="x-default">Alih media koleksi langka</rdf:li>');
    expect(xmp).toContain('<rdf:li>kota lama</rdf:li>');
    expect(xmp).toContain('<dc:language><rdf:Bag><rdf:li>id</rdf:li></rdf:Bag></dc:language>');
    expect(xmp).toContain('<dc:identifier>INV-0042/2024</dc:identifier>');
    expect(xmp).toContain('<xmp:CreateDate>2024-05-01T08:00:00Z</xmp:CreateDate>');
    expect(xmp).toContain('<xmp:ModifyDate>2024-06-02T09:30:00Z</xmp:ModifyDate>');
    expect(xmp).toContain('<pdf:Producer>Pindai</pdf:Producer>');
    expect(xmp).toContain('<pdf:Keywords>sejarah, kota lama</pdf:Keywords>');

    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.catalog.lookup(PDFName.of('Lang'), PDFString).decodeText()).toBe('id');
    const metadata = doc.catalog.lookup(PDFName.of('Metadata'));
    const dict = (metadata as { dict?: PDFDict }).dict;
    expect(dict?.get(PDFName.of('Type'))).toBe(PDFName.of('Metadata'));
    expect(dict?.get(PDFName.of('Subtype'))).toBe(PDFName.of('XML'));
  });

  it('writes no text on a page without OCR', async () => {
    const ocr = layoutPage([LEFT], TWO_COLUMNS);
    const file = save(await buildSearchablePdf([page(ocr), page(null)], META));
    expect(flat(pdftotext(file, '-f', '1', '-l', '1'))).toContain('Perpustakaan daerah');
    expect(flat(pdftotext(file, '-f', '2', '-l', '2'))).toBe('');
    expect(execFileSync('/usr/bin/pdffonts', ['-f', '2', '-l', '2', file], { encoding: 'utf8' })).not.toMatch(
      /DejaVu/,
    );
  });

  it('gives byte-identical output for identical inputs', async () => {
    const ocr = layoutPage([LEFT, RIGHT], TWO_COLUMNS);
    const a = await buildSearchablePdf([page(ocr), page(null)], META);
    const b = await buildSearchablePdf([page(structuredClone(ocr)), page(null)], { ...META });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = await buildSearchablePdf([page(ocr), page(null)], { ...META, title: 'Lain' });
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('drops OCR dust from the gutter and margins', async () => {
    const ocr = layoutPage([LEFT, RIGHT], TWO_COLUMNS);
    for (let i = 0; i < 8; i++) {
      const y = 300 + i * PITCH * 2;
      ocr.blocks.splice(1, 0, wordBlock(i % 2 ? '|' : '_', 1225, y, 1240, y + 90, 80));
    }
    ocr.blocks.push(wordBlock('~', 2350, 400, 2380, 450, 35), wordBlock('.,', 2350, 600, 2380, 650, 40));
    ocr.blocks.push(wordBlock('gx', 2300, 800, 2380, 850, 5));
    const file = save(await buildSearchablePdf([page(ocr)], META));
    for (const mode of [[], ['-raw']]) {
      const text = pdftotext(file, ...mode);
      expect(text).not.toMatch(/[|_~]|\.,|gx/);
      const flatText = flat(text);
      expect(flatText.indexOf(LEFT[1] ?? '')).toBeLessThan(flatText.indexOf(RIGHT[0] ?? ''));
    }
  });

  it('drops a "line" of words stacked one above another (a dark page edge read as text), and its strip', async () => {
    // A cleaned 1-bit page may keep a dark strip at its edge; tesseract reads its blots as a line
    // of short "words" stacked down the strip, beside the column text.
    const ocr = layoutPage([LEFT, RIGHT], TWO_COLUMNS);
    const stack = (texts: string[], y0: number): OcrBlock => {
      const words = texts.map((text, i) => ({
        text,
        confidence: 45,
        bbox: { x0: 2 + (i % 2) * 4, y0: y0 + i * 50, x1: 30 - (i % 2) * 3, y1: y0 + i * 50 + 30 },
      }));
      const bbox = { x0: 2, y0, x1: 30, y1: y0 + texts.length * 50 };
      return { bbox, paragraphs: [{ bbox, lines: [{ bbox, baseline: null, words }] }] };
    };
    // A blot of the same strip read as one word of its own goes with it.
    ocr.blocks.unshift(
      stack(['Sita', 'Ls', 'at', 'Ma', 'hy'], 300),
      stack(['Iu', 'fig'], 600),
      wordBlock('Bodas', 4, 900, 29, 940, 27),
    );
    const file = save(await buildSearchablePdf([page(ocr)], META));
    for (const mode of [[], ['-raw']]) {
      expect(flat(pdftotext(file, ...mode))).toBe(flat([...LEFT, ...RIGHT].join(' ')));
    }
  });

  it('keeps punctuation-only words inside and at the ends of lines, in default and -raw modes', async () => {
    // (A dash that ends a line is read by poppler as a hyphenation and joined to the next line.)
    const left = [
      'Buku induk -- daftar koleksi -- dicatat setiap hari kerja oleh petugas.',
      'Naskah tua — yang rapuh sekali — dipindai dengan hati hati lalu disimpan ...',
    ];
    const right = ['Koleksi langka ... misalnya peta - dibaca di ruang khusus.', '- 12 -'];
    const ocr = layoutPage([left, right], TWO_COLUMNS);
    // tesseract gives dashes and dots low confidence; the word-alone rule would drop all of them.
    for (const w of ocr.blocks.flatMap((b) => b.paragraphs.flatMap((p) => p.lines.flatMap((l) => l.words)))) {
      if (/^[\p{P}]+$/u.test(w.text)) w.confidence = 35;
    }
    const file = save(await buildSearchablePdf([page(ocr)], META));
    for (const mode of [[], ['-raw']]) {
      const text = flat(pdftotext(file, ...mode));
      for (const para of [...left, ...right]) expect(text).toContain(para);
      expect(text.indexOf(left[1] ?? '')).toBeLessThan(text.indexOf(right[0] ?? ''));
    }
  });

  it('drops a vertical stroke OCR read as words (a spread cut at its fold), keeps narrow real words', async () => {
    const ocr = layoutPage([LEFT, RIGHT], TWO_COLUMNS);
    // What tesseract made of the fold at the right edge of a cut spread: a 7 px wide, 112 px tall line.
    const bbox = { x0: W - 24, y0: 900, x1: W - 17, y1: 1012 };
    ocr.blocks.push({
      bbox,
      paragraphs: [
        {
          bbox,
          lines: [
            {
              bbox,
              baseline: null,
              words: [
                { text: 'hp', confidence: 34, bbox },
                { text: 'bi', confidence: 47, bbox },
              ],
            },
          ],
        },
      ],
    });
    // A real narrow word: "il" at body size, about half an em wide.
    ocr.blocks.push(wordBlock('il', 200, 1500, 222, 1540, 90));
    const file = save(await buildSearchablePdf([page(ocr)], META));
    const text = flat(pdftotext(file, '-raw'));
    expect(text).not.toMatch(/hp|bi/); // the two words share one box: they would read "hpbi"
    expect(text).toMatch(/\bil\b/);
  });

  it('keeps words tesseract is unsure of inside a line of sure words, not unsure lines of their own', async () => {
    const ocr = layoutPage([LEFT, RIGHT], TWO_COLUMNS);
    const line = ocr.blocks[0]!.paragraphs[0]!.lines[0]!;
    // Right words at confidence 3: tesseract does this on headings over bleed-through.
    for (const w of line.words.slice(1, 3)) w.confidence = 3;
    ocr.blocks.push(wordBlock('Iiliil', 2300, 800, 2400, 850, 5), wordBlock('rnmn', 40, 1400, 150, 1450, 8));
    // A margin line of nothing but unsure word-like noise.
    const noise = layoutPage([['mnrnm Iillii']], {
      columnX: [2100],
      columnWidth: 360,
      top: 2000,
      confidence: 6,
    });
    ocr.blocks.push(...noise.blocks);
    const file = save(await buildSearchablePdf([page(ocr)], META));
    for (const mode of [[], ['-raw']]) {
      const text = flat(pdftotext(file, ...mode));
      for (const para of [...LEFT, ...RIGHT]) expect(text).toContain(para);
      expect(text).not.toMatch(/Iiliil|rnmn|mnrnm|Iillii/);
    }
  });

  it('still drops bars, far-off dashes and lone symbols at the edges of lines', async () => {
    const ocr = layoutPage([LEFT, RIGHT], TWO_COLUMNS);
    const lines = ocr.blocks.flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
    const dust = (text: string, x0: number, x1: number, y0: number, y1: number) => ({
      text,
      confidence: 45,
      bbox: { x0, y0, x1, y1 },
    });
    for (const [i, line] of lines.entries()) {
      const { x1, y0, y1 } = line.bbox;
      const last = line.words.at(-1)!;
      if (i % 3 === 0) line.words.push(dust('|', x1 + 10, x1 + 22, y0 - 10, y1 + 10)); // gutter edge, close by
      if (i % 3 === 1) line.words.push(dust('—', x1 + 3 * TEXT_H, x1 + 4 * TEXT_H, y0, y1)); // shadow, far off
      // A rule under the whole line read as one tall dash word.
      if (i % 3 === 2) line.words.push(dust('-', last.bbox.x1 + 10, last.bbox.x1 + 30, y0 - 80, y1 + 80));
    }
    ocr.blocks.push(wordBlock('—', 2350, 900, 2400, 950, 45), wordBlock('...', 30, 1200, 90, 1250, 45));
    const file = save(await buildSearchablePdf([page(ocr)], META));
    for (const mode of [[], ['-raw']]) {
      const text = pdftotext(file, ...mode);
      expect(text).not.toMatch(/[|—]|\.\.\.| -/);
      const flatText = flat(text);
      for (const para of [...LEFT, ...RIGHT]) expect(flatText).toContain(para);
    }
  });

  it('draws the JPEG as-is under invisible text', async () => {
    // White page with a black square; text lies over the white part only.
    const square = await sharp({ create: { width: 800, height: 800, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const jpeg = await sharp({ create: { width: W, height: H, channels: 3, background: '#fff' } })
      .composite([{ input: square, left: 400, top: 1800 }])
      .jpeg({ quality: 90 })
      .toBuffer();
    const ocr = layoutPage([LEFT, RIGHT], TWO_COLUMNS);
    const bytes = await buildSearchablePdf([page(ocr, jpeg)], META);
    expect(Buffer.from(bytes).indexOf(jpeg)).toBeGreaterThan(0);

    const file = save(bytes);
    execFileSync('/usr/bin/pdftoppm', ['-r', '50', '-png', '-singlefile', file, path.join(dir, 'render')]);
    const { data, info } = await sharp(readFileSync(path.join(dir, 'render.png')))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    // 50 dpi render of a 300 dpi page: one output pixel per 6 scan pixels.
    const at = (xPx: number, yPx: number) =>
      data[Math.floor(yPx / 6) * info.width + Math.floor(xPx / 6)] ?? -1;
    expect(info.width).toBe(Math.ceil((W * 50) / DPI));
    expect(at(800, 2200)).toBeLessThan(60); // inside the square
    expect(at(600, 330)).toBeGreaterThan(240); // under the invisible text
    expect(at(1500, 350)).toBeGreaterThan(240);
  });

  it('accepts a JPEG in a Buffer slice and rejects non-JPEG bytes', async () => {
    const pool = Buffer.concat([Buffer.alloc(13), blankJpeg]);
    const slice = pool.subarray(13);
    expect(slice.byteOffset).toBe(13);
    const file = save(await buildSearchablePdf([page(null, slice)], META));
    expect(pdfinfo(file)).toMatch(/^Pages:\s+1$/m);

    const png = await sharp(blankJpeg).png().toBuffer();
    await expect(buildSearchablePdf([page(null, png)], META)).rejects.toBeInstanceOf(PindaiError);
    await expect(buildSearchablePdf([], META)).rejects.toThrow(PindaiError);
  });

  it('assembles a 100-page book', async () => {
    const ocr = layoutPage([Array(6).fill(LEFT.join(' ')), Array(6).fill(RIGHT.join(' '))], {
      ...TWO_COLUMNS,
      paragraphGap: 0,
    });
    const pages = Array.from({ length: 100 }, () => page(ocr));
    const file = save(await buildSearchablePdf(pages, META));
    expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Pages:\s+100\b/);
  });
});
