import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrLine, OcrPageResult, OcrWord } from '../../core/ocr.types.ts';
import { cer, normalizeForCer } from '../../test/support/cer.ts';
import { buildSearchablePdf } from './pdf-builder.ts';

// Reading order of the text layer in poppler's layout mode (plain `pdftotext`) on two-column
// pages the way tesseract reports them when the gutter is narrow: every row read across both
// columns as one line, and OCR dust in the gutter (a quote glued to a word, a lone dot or "i")
// on many rows. Geometry follows a generated 300 dpi page (Liberation Serif 10 pt, line pitch
// 1.85, 0.16 in gutter, justified) that plain pdftotext read row by row across the columns
// (66% CER): the column finder counted the dust as text in the gutter and found no gutter.

const W = 1748;
const H = 2480;
const DPI = 300;
const TEXT_H = 44;
const PITCH = 76;
const CHAR_W = 19;
const SPACE_W = 14;
const COLUMN_W = 580;
const GUTTER = 48;
const LEFT_X = 270;
const RIGHT_X = LEFT_X + COLUMN_W + GUTTER;

const SENTENCES = [
  'Arsip foto kegiatan desa dipindai satu per satu lalu diberi keterangan tempat dan tanggal.',
  'Daftar buku baru diumumkan di papan pengumuman dan di laman perpustakaan.',
  'Laporan tahunan mencatat jumlah pengunjung, peminjaman, dan koleksi yang diperbaiki.',
  'The reading room stays open until eight in the evening during examination weeks.',
  'Petugas pengolahan memberi nomor panggil sebelum buku ditempatkan di rak terbuka.',
  'Kelembapan ruang penyimpanan diperiksa dua kali sehari dengan alat ukur sederhana.',
  'Layanan keliling mendatangi sekolah di kecamatan yang jauh dari pusat kota setiap Kamis.',
  'Sebagian naskah beraksara Jawa sudah terlalu rapuh untuk dibuka tanpa sarung tangan.',
  'Pada bulan Agustus perpustakaan mengadakan lomba menulis cerita pendek bagi pelajar.',
  'Ruang diskusi kecil dapat dipesan untuk kelompok belajar paling lama dua jam.',
];
const LEFT = [0, 1, 2, 3].map((i) => `${SENTENCES[i]} ${SENTENCES[(i + 5) % 10]}`);
const RIGHT = [4, 6, 8].map((i) => `${SENTENCES[i]} ${SENTENCES[(i + 3) % 10]} ${SENTENCES[(i + 7) % 10]}`);

function word(
  text: string,
  x0: number,
  y: number,
  width = [...text].length * CHAR_W,
  confidence = 92,
): OcrWord {
  return { text, confidence, bbox: { x0, y0: y, x1: x0 + width, y1: y + TEXT_H } };
}

/**
 * Rows of one justified column (the last line of a paragraph ragged), one word list per row;
 * `gap` adds that many line pitches of space before each paragraph but the first.
 */
function columnRows(paragraphs: string[], x0: number, top: number, gap = 0, columnW = COLUMN_W): OcrWord[][] {
  const rows: OcrWord[][] = [];
  let extra = 0;
  for (const [pi, paragraph] of paragraphs.entries()) {
    if (pi > 0) extra += Math.round(gap * PITCH);
    const lines: string[][] = [[]];
    let width = 0;
    for (const w of paragraph.split(' ')) {
      const need = [...w].length * CHAR_W + (width > 0 ? SPACE_W : 0);
      if (width + need > columnW && width > 0) {
        lines.push([]);
        width = 0;
      }
      lines.at(-1)?.push(w);
      width += [...w].length * CHAR_W + (width > 0 ? SPACE_W : 0);
    }
    lines.forEach((texts, li) => {
      const y = top + rows.length * PITCH + extra;
      const inked = texts.reduce((s, t) => s + [...t].length * CHAR_W, 0);
      const last = li === lines.length - 1;
      const space = last || texts.length < 2 ? SPACE_W : (columnW - inked) / (texts.length - 1);
      let x = x0;
      rows.push(
        texts.map((t) => {
          const w = word(t, Math.round(x), y);
          x += [...t].length * CHAR_W + space;
          return w;
        }),
      );
    });
  }
  return rows;
}

function line(words: OcrWord[]): OcrLine {
  const x0 = Math.min(...words.map((w) => w.bbox.x0));
  const x1 = Math.max(...words.map((w) => w.bbox.x1));
  const y0 = Math.min(...words.map((w) => w.bbox.y0));
  const y1 = Math.max(...words.map((w) => w.bbox.y1));
  const base = y0 + Math.round((y1 - y0) * 0.78);
  return {
    bbox: { x0, y0, x1, y1 },
    baseline: { x0, y0: base, x1, y1: base },
    words,
  };
}

/** A synthetic OCR result of the page size with these blocks. */
function pageOf(blocks: OcrPageResult['blocks']): OcrPageResult {
  return { width: W, height: H, text: '', confidence: 90, blocks, warnings: [], engine: 'synthetic' };
}

/** One OCR block of one paragraph holding the given rows (empty rows left out) as lines. */
function blockOf(rows: OcrWord[][]) {
  const lines = rows.filter((r) => r.length > 0).map(line);
  const bbox = {
    x0: Math.min(...lines.map((l) => l.bbox.x0)),
    y0: lines[0]?.bbox.y0 ?? 0,
    x1: Math.max(...lines.map((l) => l.bbox.x1)),
    y1: lines.at(-1)?.bbox.y1 ?? 0,
  };
  return { bbox, paragraphs: [{ bbox, lines }] };
}

/**
 * The page as tesseract read it across a narrow gutter: a title, then each row of the two
 * columns as one line, paragraphs of five such rows, with gutter dust on most rows.
 */
function acrossTheGutter(title: OcrWord[]): OcrPageResult {
  const top = 400;
  const left = columnRows(LEFT, LEFT_X, top);
  const right = columnRows(RIGHT, RIGHT_X, top);
  const gutter = LEFT_X + COLUMN_W;
  const rows = Array.from({ length: Math.max(left.length, right.length) }, (_, r) => {
    const l = left[r] ?? [];
    const rt = right[r] ?? [];
    const first = rt[0];
    // A quote or bracket speck glued to the first word of the right column reaches into the gutter.
    if (first && r % 4 === 1) {
      first.text = `“${first.text}`;
      first.bbox.x0 -= 14;
    }
    const lastLeft = l.at(-1);
    if (lastLeft && r % 5 === 2) {
      lastLeft.text = `${lastLeft.text}.`;
      lastLeft.bbox.x1 += 12;
    }
    // A speck wholly in the gutter, read as a dot, an "i", a quote or a digit, on every other row.
    const dust = r % 2 === 0 && l.length > 0 && rt.length > 0;
    const speck = ['.', 'i', '“', '4', 'a'][r % 5] as string;
    const y = (l[0] ?? rt[0])?.bbox.y0 ?? top;
    const at = gutter + [4, 30, 16, 36, 10][(r >> 1) % 5]!;
    return [...l, ...(dust ? [word(speck, at, y, 10, 85)] : []), ...rt];
  });
  const paragraphs = [];
  for (let r = 0; r < rows.length; r += 5) {
    const lines = rows.slice(r, r + 5).map(line);
    const bbox = {
      x0: Math.min(...lines.map((l) => l.bbox.x0)),
      y0: lines[0]?.bbox.y0 ?? 0,
      x1: Math.max(...lines.map((l) => l.bbox.x1)),
      y1: lines.at(-1)?.bbox.y1 ?? 0,
    };
    paragraphs.push({ bbox, lines });
  }
  const titleLine = line(title);
  const blocks = [
    { bbox: titleLine.bbox, paragraphs: [{ bbox: titleLine.bbox, lines: [titleLine] }] },
    ...paragraphs.map((p) => ({ bbox: p.bbox, paragraphs: [p] })),
  ];
  return pageOf(blocks);
}

/**
 * The page as tesseract reads it across a wider gutter: each column's rows as lines of their own
 * (one block per column), with a speck read as "i" or "a" at the start of some right-column
 * lines, in the gutter, and a footer "Halaman 9" under the columns, its "9" over the gutter.
 */
function specksBesideColumns(): OcrPageResult {
  const top = 300;
  const left = columnRows(LEFT, LEFT_X, top);
  const right = columnRows(RIGHT, RIGHT_X, top);
  right.forEach((row, r) => {
    const first = row[0];
    if (first && r % 3 === 0) row.unshift(word(r % 2 ? 'a' : 'i', RIGHT_X - 24, first.bbox.y0, 9, 80));
  });
  const footerY = top + (Math.max(left.length, right.length) + 3) * PITCH;
  const footer = [
    word('Halaman', RIGHT_X - 24 - SPACE_W - 7 * CHAR_W, footerY),
    word('9', RIGHT_X - 24, footerY, 18),
  ];
  const blocks = [blockOf(left), blockOf(right), blockOf([footer])];
  return pageOf(blocks);
}

/**
 * Unbalanced columns, as on the last page of a chapter: the right column stops a third of the way
 * down, and the left column's paragraphs stand `gap` line pitches apart, so the lower part of the
 * left column has nothing beside it.
 */
function unbalanced(gap: number, pageNumber?: string, pageNumberX = LEFT_X + COLUMN_W + 12): OcrPageResult {
  const top = 300;
  const left = columnRows(LEFT, LEFT_X, top, gap);
  const right = columnRows(RIGHT.slice(0, 1), RIGHT_X, top, gap);
  // One OCR block per paragraph, as tesseract reports spaced paragraphs.
  const paragraphsOf = (rows: OcrWord[][]) => {
    const out: OcrWord[][][] = [];
    rows.forEach((row, i) => {
      const prev = rows[i - 1];
      const apart = prev && (row[0]?.bbox.y0 ?? 0) - (prev[0]?.bbox.y0 ?? 0) > PITCH * 1.1;
      if (!prev || apart) out.push([]);
      out.at(-1)?.push(row);
    });
    return out;
  };
  const blocks = [...paragraphsOf(left), ...paragraphsOf(right)].map(blockOf);
  if (pageNumber) {
    // By default over the gutter, reaching a little into the right column.
    const y = (left.at(-1)?.[0]?.bbox.y0 ?? 0) + 3 * PITCH;
    blocks.push(blockOf([[word(pageNumber, pageNumberX, y)]]));
  }
  return pageOf(blocks);
}

/**
 * Two columns of two paragraphs each, the second paragraphs of both starting on the same row,
 * `gap` line pitches below the last line of the first (each column's paragraphs have equal line
 * counts). A gap the text layer does not bridge in either column splits both into an upper and a
 * lower block on the same rows: a 2×2 grid that poppler's layout mode takes for a table.
 */
function sameRowBreak(gap: number): { ocr: OcrPageResult; truth: string[] } {
  const top = 300;
  const texts = {
    left: [`${SENTENCES[0]} ${SENTENCES[5]}`, `${SENTENCES[1]} ${SENTENCES[6]}`],
    right: [`${SENTENCES[5]} ${SENTENCES[0]}`, `${SENTENCES[6]} ${SENTENCES[1]}`],
  };
  const rowsOf = (x0: number, [first, second]: string[]) => {
    const upper = columnRows([first as string], x0, top);
    const lower = columnRows(
      [second as string],
      x0,
      top + (upper.length - 1) * PITCH + Math.round(gap * PITCH),
    );
    return { upper, lower };
  };
  const left = rowsOf(LEFT_X, texts.left);
  const right = rowsOf(RIGHT_X, texts.right);
  // Equal line counts, so both columns break on the same row (what the test is about).
  expect(left.upper.length).toBe(right.upper.length);
  const blocks = [left.upper, left.lower, right.upper, right.lower].map(blockOf);
  const ocr = pageOf(blocks);
  return { ocr, truth: [...texts.left, ...texts.right] };
}

/**
 * The page OCR read across a narrow gutter, with one more row at the bottom, its own OCR
 * paragraph: three widely spaced words of each column, mostly with descenders, so their boxes
 * reach a third of a line lower than other rows' (baseline as on any row); the gap over the
 * gutter is narrower than the row's word spaces.
 */
function descenderRow(title: string): { ocr: OcrPageResult; truth: string[] } {
  const ocr = acrossTheGutter(titleWords(title.split(' '), 30, 18));
  const lastRow = ocr.blocks.at(-1)?.paragraphs.at(-1)?.lines.at(-1);
  const y = (lastRow?.bbox.y0 ?? 0) + PITCH;
  const spread = (texts: string[], x0: number) => {
    const inked = texts.reduce((s, t) => s + [...t].length * CHAR_W, 0);
    const space = (COLUMN_W - inked) / (texts.length - 1);
    let x = x0;
    return texts.map((t) => {
      const w = word(t, Math.round(x), y);
      if (/[gjpqy]/.test(t)) w.bbox.y1 += Math.round(TEXT_H / 3);
      x += [...t].length * CHAR_W + space;
      return w;
    });
  };
  const left = ['tempat', 'sejuk', 'sebagian'];
  const right = ['pengunjung', 'yang', 'ingin'];
  const row = line([...spread(left, LEFT_X), ...spread(right, RIGHT_X)]);
  const base = y + Math.round(TEXT_H * 0.78);
  row.baseline = { x0: row.bbox.x0, y0: base, x1: row.bbox.x1, y1: base };
  ocr.blocks.push({ bbox: row.bbox, paragraphs: [{ bbox: row.bbox, lines: [row] }] });
  return { ocr, truth: [title, ...LEFT, left.join(' '), ...RIGHT, right.join(' ')] };
}

/**
 * Two columns under a title OCR read as two lines, one over each column (its word space over the
 * gutter), three line pitches above the columns' text: too far to bridge.
 */
function titleInTwoPieces(): { ocr: OcrPageResult; truth: string[] } {
  const titleTop = 250;
  const piece = (texts: string[], x0: number) => {
    const words = titleWords(texts, 34, 22, x0);
    const l = line(words);
    return { bbox: l.bbox, paragraphs: [{ bbox: l.bbox, lines: [l] }] };
  };
  const leftTitle = ['Profil', 'Perpustakaan'];
  const left = piece(leftTitle, LEFT_X + COLUMN_W - (18 * 34 + 22));
  const right = piece(['Kecamatan'], RIGHT_X);
  const top = titleTop + 66 + 3 * PITCH;
  const blocks = [
    left,
    right,
    blockOf(columnRows(LEFT.slice(0, 2), LEFT_X, top)),
    blockOf(columnRows(RIGHT.slice(0, 1), RIGHT_X, top)),
  ];
  const ocr = pageOf(blocks);
  return { ocr, truth: ['Profil Perpustakaan Kecamatan', ...LEFT.slice(0, 2), ...RIGHT.slice(0, 1)] };
}

/**
 * Three narrow columns under a short centred title: the title lies over the middle column and
 * reaches only a little past both gutters, into the outer columns.
 */
function threeColumnsUnderTitle(
  title: string,
  titleX0?: number,
  texts = [LEFT[0], LEFT[1], RIGHT[0]] as string[],
): { ocr: OcrPageResult; truth: string[] } {
  const top = 400;
  const columnW = 400;
  const xs = [150, 150 + columnW + GUTTER, 150 + 2 * (columnW + GUTTER)];
  const blocks = texts.map((text, k) => blockOf(columnRows([text], xs[k] as number, top, 0, columnW)));
  const words = title.split(' ');
  const width = words.reduce((s, t) => s + [...t].length * 17, 0) + 12 * (words.length - 1);
  const titleLine = line(
    titleWords(words, 17, 12, titleX0 ?? Math.round((xs[1] as number) + columnW / 2 - width / 2)),
  );
  blocks.unshift({ bbox: titleLine.bbox, paragraphs: [{ bbox: titleLine.bbox, lines: [titleLine] }] });
  const ocr = pageOf(blocks);
  return { ocr, truth: [title, ...texts] };
}

/**
 * The page OCR read across a narrow gutter, with one more row at the bottom: a short justified
 * line of the left column whose word spaces are as wide as the gutter, a bar in the gutter, and a
 * right-column word OCR boxed with a speck above it, so the row's box is taller than a title's.
 */
function tallRowAcrossTheGutter(title: string): { ocr: OcrPageResult; truth: string[] } {
  const ocr = acrossTheGutter(titleWords(title.split(' '), 30, 18));
  const last = ocr.blocks.at(-1)?.paragraphs.at(-1);
  const y = (last?.lines.at(-1)?.bbox.y0 ?? 0) + PITCH;
  const leftWords = ['dan', 'koleksi', 'yang'];
  const inked = leftWords.reduce((s, t) => s + [...t].length * CHAR_W, 0);
  let x = LEFT_X + COLUMN_W - inked - GUTTER * (leftWords.length - 1);
  const row = leftWords.map((t) => {
    const w = word(t, x, y);
    x += [...t].length * CHAR_W + GUTTER;
    return w;
  });
  row.push(word('|', LEFT_X + COLUMN_W + 16, y, 10, 40));
  const tall = word('diperbaiki.', RIGHT_X, y);
  tall.bbox.y0 -= 40;
  row.push(tall);
  last?.lines.push(line(row));
  const left = [...LEFT];
  left[3] = `${left[3]} dan koleksi yang`;
  const right = [...RIGHT];
  right[2] = `${right[2]} diperbaiki.`;
  return { ocr, truth: [title, ...left, ...right] };
}

/** A bold title, larger than the text, over both columns (centred unless `x0` is given). */
function titleWords(texts: string[], charW: number, spaceW: number, x0?: number): OcrWord[] {
  const width = texts.reduce((s, t) => s + [...t].length * charW, 0) + spaceW * (texts.length - 1);
  let x = x0 ?? Math.round((W - width) / 2);
  return texts.map((t) => {
    const w: OcrWord = {
      text: t,
      confidence: 95,
      bbox: { x0: x, y0: 250, x1: x + [...t].length * charW, y1: 250 + 66 },
    };
    x += [...t].length * charW + spaceW;
    return w;
  });
}

let dir: string;
let blank: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pindai-order-'));
  blank = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
    .jpeg()
    .toBuffer();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function extract(ocr: OcrPageResult, name: string): Promise<{ plain: string; raw: string }> {
  const pdf = await buildSearchablePdf([{ image: blank, width: W, height: H, dpi: DPI, ocr }], {
    title: 'Uji urutan baca',
  });
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const run = (...args: string[]) =>
    execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', ...args, file, '-'], { encoding: 'utf8' });
  return { plain: run(), raw: run('-raw') };
}

/** Words only: OCR dust glued to words (quotes, dots) does not hide where a paragraph starts. */
function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Each paragraph, found in `text` in ground-truth order (each after the one before). */
function expectColumnOrder(groundTruth: string[], text: string): void {
  const flat = words(text);
  let from = 0;
  const missing: string[] = [];
  for (const p of groundTruth) {
    const at = flat.indexOf(words(p), from);
    if (at < 0) missing.push(p);
    else from = at + 1;
  }
  expect(missing, text).toEqual([]);
}

describe('text layer reading order on a two-column page OCR read across a narrow gutter', () => {
  const truth = (title: string) => [title, ...LEFT, ...RIGHT];

  it('reads column by column in plain and -raw modes despite gutter dust on most rows', async () => {
    const title = 'Laporan Kegiatan Perpustakaan Daerah';
    const ocr = acrossTheGutter(titleWords(title.split(' '), 30, 18));
    const { plain, raw } = await extract(ocr, 'dust');
    for (const text of [plain, raw]) {
      expectColumnOrder(truth(title), text);
      expect(cer(truth(title).join('\n\n'), text), text).toBeLessThanOrEqual(0.03);
    }
  });

  it('drops specks in the gutter beside column text, keeps a page number over it', async () => {
    const { plain, raw } = await extract(specksBesideColumns(), 'specks');
    for (const text of [plain, raw]) {
      expectColumnOrder([...LEFT, ...RIGHT], text);
      expect(words(text), text).toContain('halaman 9');
      expect(
        words(text)
          .split(' ')
          .filter((w) => w === 'i' || w === 'a'),
        text,
      ).toEqual([]);
    }
  });

  it('reads a long left column whole beside a short right one, paragraphs set well apart', async () => {
    // A paragraph gap the text layer cannot bridge splits the left column into blocks for
    // poppler; the lower ones, with nothing beside them, would be read after the right column.
    for (const gap of [0.6, 0.9]) {
      const { plain, raw } = await extract(unbalanced(gap), `unbalanced-${gap}`);
      for (const text of [plain, raw]) expectColumnOrder([...LEFT, RIGHT[0] as string], text);
    }
  });

  it('reads a page number over the gutter after the columns, under unbalanced columns', async () => {
    // Mostly in the gutter, a little in the right column: taken for a line of that column, it
    // made poppler read the right column before the lower blocks of the left one.
    for (const gap of [0, 0.6, 0.9]) {
      const { plain, raw } = await extract(unbalanced(gap, '135'), `number-${gap}`);
      for (const text of [plain, raw]) {
        expectColumnOrder([...LEFT, RIGHT[0] as string], text);
        // After the left column; where the left column's lower paragraphs lie wholly below the
        // right column, it may come before the right column (see spreadGutterLines).
        expectColumnOrder([...LEFT, '135'], text);
      }
    }
  });

  it('reads a footer centred over the gutter but wider than it after the left column, under unbalanced columns', async () => {
    // "Halaman 135" reaching well into both columns: nothing lies wholly left and right of it, yet
    // it stands over the gutter; left as it was, poppler read the right column before the lower
    // blocks of the left one.
    const footer = 'Halaman-135';
    const x = LEFT_X + COLUMN_W + GUTTER / 2 - ([...footer].length * CHAR_W) / 2;
    for (const gap of [0.6, 0.9]) {
      const { plain, raw } = await extract(unbalanced(gap, footer, x), `footer-${gap}`);
      for (const text of [plain, raw]) {
        expectColumnOrder([...LEFT, RIGHT[0] as string], text);
        expectColumnOrder([...LEFT, footer], text);
      }
    }
  });

  it('keeps a centred title with wide (monospaced) word spaces whole across the gutter', async () => {
    // Word spaces of a bold monospaced title are as wide as the gutter; only a gap far wider than
    // the line's other spaces is a column break.
    const title = 'Catatan Alih Media Koleksi Langka';
    // The space after "Alih" lies over the gutter.
    const x0 = LEFT_X + COLUMN_W - (7 + 4) * 34 - 52;
    const ocr = acrossTheGutter(titleWords(title.split(' '), 34, 52, x0));
    const { plain } = await extract(ocr, 'title');
    expect(normalizeForCer(plain).startsWith(normalizeForCer(title)), plain).toBe(true);
  });
  it('reads columns whole when a wide paragraph gap falls on the same row in both', async () => {
    // Each column split in two blocks on the same rows made a 2×2 grid that poppler read row by
    // row as a table (34% CER on a generated page with a 1.63-pitch gap).
    for (const gap of [1.63, 1.75]) {
      const { ocr, truth } = sameRowBreak(gap);
      const { plain, raw } = await extract(ocr, `same-row-${gap}`);
      for (const text of [plain, raw]) expectColumnOrder(truth, text);
    }
  });
  it('keeps a paragraph in its column when one line reaches a hair across the gutter', async () => {
    // A speck glued to a line's last word takes its box across the gutter, a few pixels into the
    // other column: still that column's paragraph (taken for one spanning both, 67% CER).
    const { ocr, truth } = sameRowBreak(1.63);
    const reaching = ocr.blocks[0]?.paragraphs[0]?.lines[1];
    const last = reaching?.words.at(-1);
    if (!reaching || !last) throw new Error('fixture: no second line');
    last.text = `${last.text}'`;
    last.bbox.x1 = RIGHT_X + 4;
    reaching.bbox.x1 = RIGHT_X + 4;
    const { plain, raw } = await extract(ocr, 'hair-across');
    for (const text of [plain, raw]) expectColumnOrder(truth, text);
  });
  it('reads columns whole when a gap too wide to bridge falls on the same row in both', async () => {
    // A heading with a blank line above it in both columns: no size within the columns' line
    // spacing bridges the gap, so both stay split on the same rows (39% CER on a generated
    // three-column page, read row by row as a table).
    for (const gap of [2.3, 2.8]) {
      const { ocr, truth } = sameRowBreak(gap);
      const { plain, raw } = await extract(ocr, `same-row-wide-${gap}`);
      for (const text of [plain, raw]) expectColumnOrder(truth, text);
    }
  });
  it('reads a short centred title over three columns first', async () => {
    // Over the middle column and only a little into the outer ones, the title was taken for a
    // line of the middle column and read after the first column.
    const { ocr, truth } = threeColumnsUnderTitle('Catatan Alih Media Koleksi Langka');
    const { plain, raw } = await extract(ocr, 'three-title');
    for (const text of [plain, raw]) expectColumnOrder(truth, text);
  });
  it('reads a title OCR split over two columns as one line, then the columns', async () => {
    // Each piece was taken for its column's first line, and the left column was read before the
    // rest of the title (a page of a held-out seed read right only where poppler took the pieces
    // and the columns for a table).
    const { ocr, truth } = titleInTwoPieces();
    const { plain } = await extract(ocr, 'title-two-pieces');
    expectColumnOrder(truth, plain);
  });
  it('reads a page number close under the middle of three columns last, the columns whole', async () => {
    // Taken for a line of the middle column and spread across the page as a gutter line, it
    // joined that column's block at the column's size: the block, as wide as the page, took in
    // both other columns (72% CER on a held-out page).
    // (the middle column the longest)
    const texts = [LEFT[0], RIGHT[0], LEFT[1]] as string[];
    const { ocr, truth } = threeColumnsUnderTitle('Catatan Alih Media Koleksi Langka', undefined, texts);
    // (set small, a little over three of its heights below the column: not the column's own)
    const middle = ocr.blocks[2]?.paragraphs[0]?.lines.at(-1);
    const number = word('-19-', 150 + 400 + GUTTER + 200 - 38, (middle?.bbox.y1 ?? 0) + 80, 76);
    number.bbox.y1 = number.bbox.y0 + 26;
    const footer = line([number]);
    ocr.blocks.push({ bbox: footer.bbox, paragraphs: [{ bbox: footer.bbox, lines: [footer] }] });
    const { plain, raw } = await extract(ocr, 'footer-under-middle');
    // (in content order it follows the column it was given to)
    for (const text of [plain, raw]) expectColumnOrder(truth, text);
    expectColumnOrder([...truth, '19'], plain);
  });
  it('reads a title set off-centre over three columns first', async () => {
    // From a little inside the first column, across the first gutter and the middle column, to
    // the second gutter: taken for a line of the middle column (it overlaps the first too little
    // to count as spanning), it was read after the first column.
    const { ocr, truth } = threeColumnsUnderTitle('Catatan Alih Media Koleksi Langka', 490);
    const { plain, raw } = await extract(ocr, 'off-centre-title');
    for (const text of [plain, raw]) expectColumnOrder(truth, text);
  });
  it('cuts a row of words with descenders at the gutter, though its spaces are wider', async () => {
    // Box heights made the row as tall as a title, whose evenly spaced words are never cut at a
    // gutter narrower than its spaces: the row was read across both columns (11.6% CER on a
    // generated page). Its letters stand no higher above the baseline than any row's.
    const { ocr, truth } = descenderRow('Laporan Kegiatan Perpustakaan Daerah');
    const { plain, raw } = await extract(ocr, 'descender-row');
    for (const text of [plain, raw]) expectColumnOrder(truth, text);
  });
  it('cuts a row whose box a speck made tall at the gutter, though its spaces are as wide', async () => {
    // Taken for a title (its box over 1.2 body heights) with evenly wide word spaces, the row was
    // left whole, and so was its paragraph: four rows read across both columns.
    const { ocr, truth } = tallRowAcrossTheGutter('Laporan Kegiatan Perpustakaan Daerah');
    const { plain, raw } = await extract(ocr, 'tall-row');
    for (const text of [plain, raw]) expectColumnOrder(truth, text);
  });
});
