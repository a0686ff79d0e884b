import { describe, expect, it } from 'vitest';
import { MAX_RESULT_WINDOW } from '../../../search/search-index.ts';
import { pageCount, roughly, shownCount } from './result-counts.ts';

describe('result counts on the public pages', () => {
  it('rounds estimates to two significant figures and formats them per language', () => {
    expect(roughly(483_217)).toBe(480_000);
    expect(roughly(1_250)).toBe(1_300);
    expect(roughly(87)).toBe(87);
    expect(shownCount('id', 483_217, true)).toBe('480.000');
    expect(shownCount('en', 483_217, true)).toBe('480,000');
    expect(shownCount('id', 483_217, false)).toBe('483.217');
  });

  it('offers no page beyond the result window', () => {
    expect(pageCount(45, 20)).toBe(3);
    expect(pageCount(480_000, 20)).toBe(MAX_RESULT_WINDOW / 20);
    expect(pageCount(0, 20)).toBe(0);
  });
});
