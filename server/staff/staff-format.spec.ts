import { describe, expect, it } from 'vitest';
import { translator } from '../../core/messages.ts';
import { formatBytes as publicBytes } from '../views/collection/parts.tsx';
import { formatCount } from '../views/collection/result-counts.ts';
import { runDetailText } from './run-detail.ts';
import { fmt } from './staff-page.tsx';

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
    expect(runDetailText(tr, 'id', '2 pages, 8111 bytes')).toBe('PDF berisi 2 halaman, 8.111 bita');
    expect(runDetailText(tr, 'id', '15 objects')).toBe('15 berkas diterbitkan');
    expect(runDetailText(tr, 'id', '00001/AM/2026')).toBe('00001/AM/2026');
  });
});
