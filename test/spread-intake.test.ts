import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../core/store/keys.ts';
import type { Pindai } from '../scripts/pindai-context.ts';
import { SAMPLE_TEXT as T } from './fixtures/make-page.ts';
import { makeLandscapeColumns, makeSpread } from './fixtures/make-spread.ts';
import { cer } from './support/cer.ts';
import { ingestAndRun } from './support/ingest-run.ts';
import { tempDir } from './support/temp-dir.ts';

const LEFT = `${T.id1} ${T.id2}`;
const RIGHT = `${T.id3} ${T.en1}`;

/**
 * A book scanner's two-page spread becomes two pages of the item in reading order (left then
 * right; right then left for a right-to-left book), and a single wide page stays one page.
 */
describe('spreads at intake', () => {
  const root = tempDir();
  let app: Pindai;
  let ltrId: string;
  let rtlId: string;

  beforeAll(async () => {
    const spread = await makeSpread({
      left: LEFT,
      right: RIGHT,
      gutter: 'shadow',
      pageNumbers: ['12', '13'],
    });
    const wide = await makeLandscapeColumns({
      columns: [T.id2, T.id3],
      title: 'Laporan Kegiatan Perpustakaan Keliling',
      footer: '14',
    });
    const ltr = path.join(root, 'src', 'buku-ltr');
    const rtl = path.join(root, 'src', 'kitab-rtl');
    for (const dir of [ltr, rtl]) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(ltr, 'scan-01.jpg'), spread.image);
    fs.writeFileSync(path.join(ltr, 'scan-02.png'), wide);
    fs.writeFileSync(path.join(rtl, 'scan-01.jpg'), spread.image);
    fs.writeFileSync(
      path.join(rtl, 'metadata.json'),
      JSON.stringify({ title: 'Kitab', readingDirection: 'rtl' }),
    );
    ({
      app,
      itemIds: [ltrId = '', rtlId = ''],
    } = await ingestAndRun(root, [ltr, rtl]));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('splits the spread into two pages and keeps the wide single page whole', async () => {
    const pages = await app.register.pages.list(ltrId);
    expect(pages.map((p) => [p.sourceFile, p.sourceRegion?.side ?? null])).toEqual([
      ['scan-01.jpg', 'left'],
      ['scan-01.jpg', 'right'],
      ['scan-02.png', null],
    ]);
    expect((await app.register.items.get(ltrId))?.flags.map((f) => f.code)).toContain('page_spread_split');
  });

  it('reads each half as its own page, in order', async () => {
    const out = path.join(root, 'ltr.pdf');
    fs.writeFileSync(out, await app.store.getBuffer(keys.pdf(ltrId)));
    const page = (n: number) => execFileSync('pdftotext', ['-f', `${n}`, '-l', `${n}`, out, '-']).toString();
    expect(cer(`${LEFT} 12`, page(1))).toBeLessThan(0.05);
    expect(cer(`${RIGHT} 13`, page(2))).toBeLessThan(0.05);
    expect(page(3)).toMatch(/Perpustakaan Keliling/);
  });

  it('puts the right half first for a right-to-left book', async () => {
    const pages = await app.register.pages.list(rtlId);
    expect(pages.map((p) => p.sourceRegion?.side)).toEqual(['right', 'left']);
    expect(pages[0]?.sourceRegion?.x0).toBeGreaterThan(0);
  });
});
