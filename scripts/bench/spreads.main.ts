/**
 * `node --import tsx scripts/bench/spreads.main.ts [corpusDir]`: how well `detectSpread` tells
 * two-page spreads from single wide pages, and what it costs per image.
 *
 * Spreads are made from consecutive corpus pages (1+2, 3+4, ...) in three looks: glued edge to
 * edge (two flat scans side by side, no bed, no shadow), a book scanner (bed, binding shadow,
 * slight tilt) and a phone photo (uneven light, shallower shadow, more tilt). Single wide pages
 * are the top and bottom halves of every corpus page (a two-column half has an empty band in the
 * middle), every corpus page turned sideways, and generated landscape pages: two columns with and
 * without a title, ruled tables, maps. Nothing here is tuned on: the rules were set on the test
 * fixtures only.
 */
import path from 'node:path';
import sharp from 'sharp';
import { makePage } from '../../test/fixtures/make-page.ts';
import {
  joinPages,
  makeLandscapeColumns,
  makeMap,
  makeWideTable,
  type SpreadLook,
} from '../../test/fixtures/make-spread.ts';
import { detectSpread } from '../../workers/engines/spread.ts';
import { type BenchPage, loadCorpus } from './corpus.ts';

interface Case {
  kind: string;
  name: string;
  make: () => Promise<{ image: Buffer; width: number; gutterX: number | null }>;
}

interface Outcome {
  kind: string;
  name: string;
  spread: boolean;
  split: boolean;
  flagged: boolean;
  /** |splitX - fold| / width, for spreads that were split. */
  offBy: number | null;
  ms: number;
  /** CPU time of this process (sharp's threads included): fairer than wall time on a busy machine. */
  cpuMs: number;
  confidence: number | null;
}

const corpusDir = path.resolve(process.argv[2] ?? process.env.PINDAI_BENCH_CORPUS ?? '../shared/corpus');
const batches = await loadCorpus(corpusDir);
if (batches.length === 0) throw new Error(`no batches under ${corpusDir}`);

const LOOKS: Record<string, SpreadLook> = {
  'spread, glued scans': { gutter: 'light', bed: { left: 0, right: 0, top: 0, bottom: 0 }, dpi: 300 },
  'spread, book scanner': { gutter: 'shadow', shadowDepth: 0.35, skewDeg: 0.7, dpi: 300 },
  'spread, phone photo': { gutter: 'shadow', shadowDepth: 0.25, unevenLight: true, skewDeg: -1.5, dpi: 300 },
};

/** The first words of a page's ground truth, as a column of a generated landscape page. */
const textOf = (p: BenchPage, words: number) => p.gt.split(/\s+/).slice(0, words).join(' ');

const cases: Case[] = [];
for (const b of batches) {
  for (let i = 0; i + 1 < b.pages.length; i += 2) {
    const [l, r] = [b.pages[i] as BenchPage, b.pages[i + 1] as BenchPage];
    for (const [kind, look] of Object.entries(LOOKS)) {
      cases.push({
        kind,
        name: `${b.name} p${l.pageNo}+${r.pageNo}`,
        make: async () => {
          const m = await joinPages(
            await sharp(l.file).png().toBuffer(),
            await sharp(r.file).png().toBuffer(),
            look,
          );
          return { image: m.image, width: m.width, gutterX: m.gutterX };
        },
      });
    }
  }
}
for (const b of batches) {
  for (const p of b.pages) {
    for (const half of ['top', 'bottom'] as const) {
      cases.push({
        kind: 'single, half of a page',
        name: `${b.name} p${p.pageNo} ${half}`,
        make: async () => {
          const meta = await sharp(p.file).metadata();
          const w = meta.autoOrient.width;
          const h = Math.round(w / 1.41);
          const top = half === 'top' ? 0 : meta.autoOrient.height - h;
          const image = await sharp(p.file)
            .rotate()
            .extract({ left: 0, top, width: w, height: h })
            .jpeg()
            .toBuffer();
          return { image, width: w, gutterX: null };
        },
      });
    }
    cases.push({
      kind: 'single, page sideways',
      name: `${b.name} p${p.pageNo}`,
      make: async () => {
        const image = await sharp(p.file).rotate().rotate(90).jpeg().toBuffer();
        return { image, width: (await sharp(image).metadata()).width, gutterX: null };
      },
    });
  }
}
const all = batches.flatMap((b) => b.pages);
for (let k = 0; k < 6; k++) {
  const a = all[(k * 5) % all.length] as BenchPage;
  const c = all[(k * 5 + 2) % all.length] as BenchPage;
  cases.push({
    kind: 'single, landscape columns',
    name: `titled, wide gap #${k}`,
    make: async () => ({
      image: await makeLandscapeColumns({
        columns: [textOf(a, 150), textOf(c, 150)],
        title: textOf(a, 12),
        footer: `- ${k + 3} -`,
      }),
      width: 2280,
      gutterX: null,
    }),
  });
  cases.push({
    kind: 'single, landscape columns',
    name: `untitled #${k}`,
    make: async () => ({
      image: await makePage({ columns: [textOf(c, 140), textOf(a, 140)], width: 2200, height: 1500 }),
      width: 2200,
      gutterX: null,
    }),
  });
  cases.push({
    kind: 'single, table or map',
    name: `table #${k}`,
    make: async () => ({
      image: await makeWideTable({ seed: k + 100, columns: 6 + k }),
      width: 2200,
      gutterX: null,
    }),
  });
  cases.push({
    kind: 'single, table or map',
    name: `map #${k}`,
    make: async () => ({ image: await makeMap({ seed: k + 100 }), width: 2200, gutterX: null }),
  });
}

// Make every image first (~200 MB of JPEGs), so the timings below carry no garbage from making them.
const made = [];
for (const c of cases) made.push({ ...c, ...(await c.make()) });

const outcomes: Outcome[] = [];
for (const c of made) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const found = await detectSpread(c.image);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const spread = c.gutterX !== null;
  const split = found?.split ?? false;
  outcomes.push({
    kind: c.kind,
    name: c.name,
    spread,
    split,
    flagged: found !== null && !split,
    offBy: spread && split && found ? Math.abs(found.splitX - (c.gutterX as number)) / c.width : null,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    confidence: found?.confidence ?? null,
  });
  const o = outcomes[outcomes.length - 1] as Outcome;
  if (spread !== split || o.flagged || (o.offBy ?? 0) > 0.03) {
    console.log(
      `  ${spread ? 'spread' : 'single'} ${c.kind} / ${c.name}: ${found ? JSON.stringify(found) : 'null'}`,
    );
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const pct = (n: number, d: number) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
console.log('\nkind                           n  split  flagged  fold<3%  ms median  ms max  cpu ms median');
for (const kind of [...new Set(outcomes.map((o) => o.kind))]) {
  const os = outcomes.filter((o) => o.kind === kind);
  const split = os.filter((o) => o.split).length;
  const flagged = os.filter((o) => o.flagged).length;
  const near = os.filter((o) => o.offBy !== null && o.offBy < 0.03).length;
  const ms = os.map((o) => o.ms);
  console.log(
    `${kind.padEnd(28)} ${String(os.length).padStart(3)}  ${String(split).padStart(5)}  ${String(flagged).padStart(7)}  ${
      os[0]?.spread ? String(near).padStart(7) : '      -'
    }  ${median(ms).toFixed(0).padStart(9)}  ${Math.max(...ms)
      .toFixed(0)
      .padStart(6)}  ${median(os.map((o) => o.cpuMs))
      .toFixed(0)
      .padStart(13)}`,
  );
}
const tp = outcomes.filter((o) => o.spread && o.split).length;
const fp = outcomes.filter((o) => !o.spread && o.split).length;
const positives = outcomes.filter((o) => o.spread).length;
const correctFold = outcomes.filter((o) => o.offBy !== null && o.offBy < 0.03).length;
console.log(
  `\nprecision ${pct(tp, tp + fp)} (${tp}/${tp + fp}), recall ${pct(tp, positives)} (${tp}/${positives}), ` +
    `fold within 3% of the width ${pct(correctFold, tp)}, ` +
    `${outcomes.length} images, ${median(outcomes.map((o) => o.ms)).toFixed(0)} ms median per image ` +
    `(${median(outcomes.map((o) => o.cpuMs)).toFixed(0)} ms CPU; decode included)`,
);
