/**
 * Orientation detection on the corpus pages turned four ways: accuracy, pages left as they were
 * (unsure), and time per page (detection only: cleanPage has the decoded page in memory anyway).
 * With --tesseract, native `tesseract --psm 0 -l osd` on the same turned pages for comparison
 * (about 1.5 CPU s a page: PINDAI_BENCH_OSD_EVERY=n asks it about every n-th page only).
 *
 *   node --expose-gc --import tsx scripts/bench/orientation.main.ts [--tesseract] [--variant=NAME]
 * Variants degrade the pages first, like poorer scans: 150dpi, 100dpi, 1bit, jpeg40.
 * Environment: PINDAI_BENCH_CORPUS (default ../shared/corpus).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp, { type Sharp } from 'sharp';
import type { QuarterTurn } from '../../workers/engines/orientation.ts';
import { detectOrientation } from '../../workers/engines/page-orientation.ts';
import { loadCorpus } from './corpus.ts';

const run = promisify(execFile);
const corpusDir = path.resolve(process.env.PINDAI_BENCH_CORPUS ?? '../shared/corpus');
const withTesseract = process.argv.includes('--tesseract');
const osdEvery = Math.max(1, Number(process.env.PINDAI_BENCH_OSD_EVERY ?? 1));
let pageIndex = 0;
const TURNS: QuarterTurn[] = [0, 90, 180, 270];
const variant = process.argv.find((a) => a.startsWith('--variant='))?.slice('--variant='.length) ?? 'as-is';

/** The page as a poorer scan would give it (the corpus pages are 300 dpi). */
function degrade(page: Sharp): Sharp {
  switch (variant) {
    case '150dpi':
      return page.resize({ width: 1240 });
    case '100dpi':
      return page.resize({ width: 827 });
    case '1bit':
      return page.threshold(140);
    case 'as-is':
    case 'jpeg40': // re-encoded by the caller
      return page;
    default:
      throw new Error(`unknown variant ${variant}`);
  }
}

/** Native OSD's answer as a clockwise turn that makes the page upright; null: it gave none. */
async function tesseractTurn(file: string): Promise<number | null> {
  try {
    const { stdout } = await run('tesseract', [file, '-', '--psm', '0', '-l', 'osd'], {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    });
    const m = /Rotate: (\d+)/.exec(stdout);
    return m ? Number(m[1]) : null;
  } catch {
    return null; // "Too few characters": it declines, as ours does when unsure
  }
}

const tally = {
  pages: 0,
  right: 0,
  wrong: 0,
  unsure: 0,
  ms: 0,
  cpuMs: 0,
  tRight: 0,
  tWrong: 0,
  tNone: 0,
  tMs: 0,
  tPages: 0,
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-orient-'));
for (const batch of await loadCorpus(corpusDir)) {
  for (const page of batch.pages) {
    // Decoded as cleanPage decodes it: EXIF applied, flattened, one grey band.
    const decoded = sharp(page.file).rotate().flatten({ background: '#ffffff' });
    const poorer =
      variant === 'jpeg40' ? sharp(await decoded.jpeg({ quality: 40 }).toBuffer()) : degrade(decoded);
    const upright = await poorer.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const askTesseract = withTesseract && pageIndex++ % osdEvery === 0;
    for (const r of TURNS) {
      const turned = await sharp(upright.data, {
        raw: { width: upright.info.width, height: upright.info.height, channels: 1 },
      })
        .rotate(r)
        .toColourspace('b-w')
        .raw()
        .toBuffer({ resolveWithObject: true });
      const want = (360 - r) % 360;
      const pixels = new Uint8Array(turned.data.buffer, turned.data.byteOffset, turned.data.length);
      // Collect the decode's garbage first (run with --expose-gc), so it is not billed to detection.
      (globalThis as { gc?: () => void }).gc?.();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const m = await detectOrientation(pixels, turned.info.width, turned.info.height);
      tally.ms += performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      tally.cpuMs += (cpu.user + cpu.system) / 1000;
      tally.pages++;
      if (m.turn === want && (want !== 0 || m.confidence > 0)) tally.right++;
      else if (m.turn === 0 && want !== 0) tally.unsure++;
      else if (m.turn !== want) tally.wrong++;
      else tally.right++;
      let native = '';
      if (askTesseract) {
        const file = path.join(tmp, 'p.png');
        await sharp(turned.data, {
          raw: { width: turned.info.width, height: turned.info.height, channels: 1 },
        })
          .png({ compressionLevel: 1 })
          .toFile(file);
        const t1 = performance.now();
        const tt = await tesseractTurn(file);
        tally.tMs += performance.now() - t1;
        tally.tPages++;
        if (tt === null) tally.tNone++;
        else if (tt === want) tally.tRight++;
        else tally.tWrong++;
        native = ` tesseract=${tt}`;
      }
      const flag = m.turn === want ? '' : m.turn === 0 ? '  (left as is)' : '  WRONG';
      console.log(
        `${batch.name}/p${page.pageNo} turned ${r}: got ${m.turn} (guess ${m.guess}, confidence ${m.confidence}, letters ${m.letterSize}px, votes ${JSON.stringify(m.votes)})${native}${flag}`,
      );
    }
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
const pct = (n: number) => `${((100 * n) / tally.pages).toFixed(1)}%`;
console.log(
  `\nours (${variant}): ${tally.pages} turned pages, right ${tally.right} (${pct(tally.right)}), wrong ${tally.wrong}, left as is ${tally.unsure}; ` +
    `${(tally.ms / tally.pages).toFixed(1)} ms/page wall, ${(tally.cpuMs / tally.pages).toFixed(1)} ms/page CPU`,
);
if (withTesseract)
  console.log(
    `tesseract --psm 0 on ${tally.tPages} of them: right ${tally.tRight}, wrong ${tally.tWrong}, no answer ${tally.tNone}; ` +
      `${(tally.tMs / Math.max(1, tally.tPages)).toFixed(0)} ms/page wall (PNG at full resolution, one thread)`,
  );
