import { describe, expect, it } from 'vitest';
import { parseNomorTemplate } from './nomor-induk.ts';

const at = new Date('2026-03-04T10:00:00Z');

describe('nomor induk template', () => {
  it('renders the default form 00001/AM/2026', () => {
    expect(parseNomorTemplate('{seq:5}/AM/{year}').render(1, at, '')).toBe('00001/AM/2026');
  });

  it('supports codes, two-digit years and the separators - and .', () => {
    const tpl = parseNomorTemplate('{code}-{seq:4}.{yy}');
    expect(tpl.render(42, at, 'LP')).toBe('LP-0042.26');
  });

  it('gives a series per year when the year is in the template, one series otherwise', () => {
    const yearly = parseNomorTemplate('{seq:5}/AM/{year}');
    expect(yearly.series(at, '')).not.toBe(yearly.series(new Date('2027-01-02T00:00:00Z'), ''));
    const forever = parseNomorTemplate('AM-{seq:6}');
    expect(forever.series(at, '')).toBe(forever.series(new Date('2030-01-02T00:00:00Z'), ''));
  });

  it('refuses templates without exactly one running number or with odd characters', () => {
    expect(() => parseNomorTemplate('AM/{year}')).toThrow(/exactly one/);
    expect(() => parseNomorTemplate('{seq}/{seq}')).toThrow(/exactly one/);
    expect(() => parseNomorTemplate('{seq}#AM')).toThrow(/separators/);
  });
});
