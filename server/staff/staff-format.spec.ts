import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { translator } from '../../core/messages.ts';
import { formatBytes as publicBytes } from '../views/collection/parts.tsx';
import { formatCount } from '../views/collection/result-counts.ts';
import { runDetailText } from './run-detail.ts';
import { fmt } from './staff-page.tsx';
import { BarChart } from './views/charts.tsx';

/** Every page the server renders: public collection and staff workspace. */
const serverDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('staff pages format as the public pages do, in Indonesian words', () => {
  it('prints sizes, counts and months as the public pages do', () => {
    expect(fmt.month('2026-01', 'id')).toBe('Januari 2026');
    for (const lang of ['id', 'en'] as const) {
      for (const n of [0, 900, 8111, 5_000_000, 3.5 * 1024 ** 3]) {
        expect(fmt.bytes(n, lang)).toBe(publicBytes(lang, n));
      }
      expect(fmt.num(1_234_567, lang)).toBe(formatCount(lang, 1_234_567));
    }
  });

  it('reads the stages’ run notes back as Indonesian sentences', () => {
    const tr = translator('id');
    expect(
      runDetailText(tr, 'id', '2 cleaned, 0 already clean (rotate=90, deskew=false, 1 turned upright)'),
    ).toBe(
      '2 halaman diperbaiki, 0 sudah diperbaiki sebelumnya (diputar 90°, tanpa pelurusan, 1 halaman ditegakkan otomatis)',
    );
    expect(runDetailText(tr, 'id', '2 recognised, 0 already done (ind+eng)')).toBe(
      '2 halaman dibaca OCR, 0 sudah dibaca sebelumnya (bahasa ind + eng)',
    );
    expect(runDetailText(tr, 'id', '3 recognised (2 read ahead while cleaning), 0 already done (ind)')).toBe(
      '3 halaman dibaca OCR, 0 sudah dibaca sebelumnya (bahasa ind); 2 di antaranya dibaca selagi halaman diperbaiki',
    );
    expect(runDetailText(tr, 'id', '2 pages, 8111 bytes')).toBe('PDF berisi 2 halaman, 8.111 bita');
    expect(runDetailText(tr, 'id', '15 objects')).toBe('15 berkas diterbitkan');
    expect(runDetailText(tr, 'id', '00001/AM/2026')).toBe('00001/AM/2026');
  });
});

describe('one number formatter: the reports’ charts read in the page’s language', () => {
  const chart = (lang: 'id' | 'en') =>
    renderToString(
      BarChart({
        title: 'x',
        lang,
        categories: ['Desember 2026'],
        series: [{ label: 'pages', color: '#000', values: [1500] }],
      }),
    );

  it('writes the axis and the bars’ values with the language’s separators', () => {
    expect(chart('en')).toContain('2,000');
    expect(chart('en')).toContain('pages: 1,500');
    expect(chart('en')).not.toContain('2.000');
    expect(chart('id')).toContain('2.000');
    expect(chart('id')).toContain('pages: 1.500');
  });

  it('has no page hard-coding a locale: every view formats through core/format.ts', () => {
    const views = [...fs.readdirSync(serverDir, { recursive: true, encoding: 'utf8' })]
      .filter((f) => /\.tsx?$/.test(f) && !/\.spec\.tsx?$/.test(f))
      .map((f) => path.join(serverDir, f));
    const offenders = views.filter((f) =>
      /toLocale\w*String\(|'id-ID'|"id-ID"/.test(fs.readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
