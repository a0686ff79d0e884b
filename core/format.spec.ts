import { describe, expect, it } from 'vitest';
import { formatBytes, formatDate, formatDuration, formatMonth, formatNumber } from './format.ts';

describe('one formatter for staff and public pages', () => {
  it('prints months and dates in words', () => {
    expect(formatMonth('id', '2026-12')).toBe('Desember 2026');
    expect(formatMonth('en', '2026-12')).toBe('December 2026');
    expect(formatDate('id', '2026-12-05T23:30:00Z')).toBe('5 Desember 2026');
    expect(formatDate('id', '2026-12-05T23:30:00Z', 'medium')).toBe('5 Des 2026');
  });

  it('uses the language decimals and grouping, the same on both sides', () => {
    expect(formatBytes('id', 8111)).toBe('7,9 KB');
    expect(formatBytes('en', 8111)).toBe('7.9 KB');
    expect(formatNumber('id', 480_000)).toBe('480.000');
    expect(formatDuration('id', 1700)).toBe('1,7 dtk');
    expect(formatDuration('en', 1700)).toBe('1.7 s');
  });
});
