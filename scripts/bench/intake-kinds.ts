/**
 * Intake variants of corpus pages, the way regional libraries' scanners and operators deliver
 * them: one folder (batch) per kind and source batch, with the ground truth of each page the
 * pipeline should end with, in order. Each variant is also written as plain image files for bare
 * tesseract to read (`bare`: the image and the ground truth of what it shows).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { pdfOfJpegs } from '../../test/fixtures/make-pdf.ts';
import type { BenchPage } from './corpus.ts';

export type IntakeKind = 'pdf' | 'rotated' | 'spread' | '150dpi' | '1bit';
export const INTAKE_KINDS: IntakeKind[] = ['pdf', 'rotated', 'spread', '150dpi', '1bit'];

export interface IntakeBatch {
  kind: IntakeKind;
  dir: string;
  /** Ground truth of each page the item should have, in order. */
  expected: string[];
  /** Files bare tesseract reads, each with the ground truth of what it shows. */
  bare: { file: string; gt: string }[];
}

const jpeg = (img: Sharp): Promise<Buffer> => img.jpeg({ quality: 90 }).toBuffer();

/** Two pages side by side on a dark bed, a soft binding shadow between them (a book scanner's spread). */
async function spreadOf(left: string, right: string): Promise<Buffer> {
  const [a, b] = await Promise.all(
    [left, right].map((f) => sharp(f).greyscale().toBuffer({ resolveWithObject: true })),
  );
  if (!a || !b) throw new Error('no pages');
  const h = Math.max(a.info.height, b.info.height);
  const w = a.info.width + b.info.width;
  const shadowW = Math.round(w * 0.03);
  const shadow = Buffer.alloc(shadowW * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < shadowW; x++) {
      const d = Math.abs(x - shadowW / 2) / (shadowW / 2);
      shadow[y * shadowW + x] = Math.round(110 + 120 * d * d);
    }
  }
  return sharp({ create: { width: w, height: h, channels: 3, background: '#202020' } })
    .composite([
      { input: a.data, left: 0, top: 0 },
      { input: b.data, left: a.info.width, top: 0 },
      {
        input: shadow,
        raw: { width: shadowW, height: h, channels: 1 },
        left: a.info.width - Math.round(shadowW / 2),
        top: 0,
        blend: 'multiply',
      },
    ])
    .withMetadata({ density: 300 })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * A 1-bit scan as a scanner's own adaptive thresholding makes it: ink is what is clearly darker
 * than the paper around it (a global threshold would wipe text in gutter shadows, which no scanner
 * driver does), stored as CCITT G4.
 */
async function bilevel(file: string): Promise<Buffer> {
  const grey = await sharp(file).rotate().greyscale().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = grey.info;
  const paper = await sharp(grey.data, { raw: { width, height, channels: 1 } })
    .resize({ width: Math.round(width / 16) })
    .blur(6)
    .resize({ width, height, fit: 'fill' })
    .raw()
    .toBuffer();
  const out = Buffer.alloc(width * height);
  for (let i = 0; i < out.length; i++)
    out[i] = (grey.data[i] as number) < 0.72 * (paper[i] as number) ? 0 : 255;
  return sharp(out, { raw: { width, height, channels: 1 } })
    .threshold(128)
    .toColourspace('b-w')
    .withDensity(300)
    .tiff({ compression: 'ccittfax4', bitdepth: 1 })
    .toBuffer();
}

export async function makeIntakeBatch(
  kind: IntakeKind,
  pages: BenchPage[],
  root: string,
): Promise<IntakeBatch> {
  const name = `${kind}-${pages[0]?.batch ?? 'x'}`;
  const dir = path.join(root, 'batches', name);
  const bareDir = path.join(root, 'bare', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(bareDir, { recursive: true });
  const bare: IntakeBatch['bare'] = [];
  const save = (file: string, data: Buffer, gt: string) => {
    fs.writeFileSync(path.join(bareDir, file), data);
    bare.push({ file: path.join(bareDir, file), gt });
  };
  if (kind === 'pdf') {
    const jpegs = await Promise.all(pages.map((p) => jpeg(sharp(p.file).rotate())));
    for (const [i, j] of jpegs.entries()) save(`p${i + 1}.jpg`, j, pages[i]?.gt ?? '');
    fs.writeFileSync(
      path.join(dir, 'pindaian.pdf'),
      await pdfOfJpegs(jpegs.map((j) => ({ jpeg: j, dpi: 300 }))),
    );
    return { kind, dir, expected: pages.map((p) => p.gt), bare };
  }
  if (kind === 'spread') {
    const expected: string[] = [];
    for (let i = 0; i + 1 < pages.length; i += 2) {
      const [l, r] = [pages[i] as BenchPage, pages[i + 1] as BenchPage];
      const img = await spreadOf(l.file, r.file);
      fs.writeFileSync(path.join(dir, `spread-${i / 2 + 1}.jpg`), img);
      save(`spread-${i / 2 + 1}.jpg`, img, `${l.gt}\n${r.gt}`);
      expected.push(l.gt, r.gt);
    }
    return { kind, dir, expected, bare };
  }
  for (const [i, p] of pages.entries()) {
    let img: Buffer;
    if (kind === 'rotated')
      img = await jpeg(
        sharp(p.file)
          .rotate()
          .rotate([90, 180, 270][i % 3] as number),
      );
    else if (kind === '150dpi') {
      const meta = await sharp(p.file).metadata();
      img = await sharp(p.file)
        .rotate()
        .resize({ width: Math.round((meta.width ?? 2480) / 2) })
        .withMetadata({ density: 150 })
        .jpeg({ quality: 90 })
        .toBuffer();
    } else {
      img = await bilevel(p.file);
    }
    const file = `page-${i + 1}.${kind === '1bit' ? 'tif' : 'jpg'}`;
    fs.writeFileSync(path.join(dir, file), img);
    save(file, img, p.gt);
  }
  return { kind, dir, expected: pages.map((p) => p.gt), bare };
}
