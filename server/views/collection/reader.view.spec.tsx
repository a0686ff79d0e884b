import { describe, expect, it } from 'vitest';
import { facingPageNo } from './reader.view.tsx';

describe('facingPageNo', () => {
  it('pairs an even page with the odd page after it; page 1 and an unpaired last page stand alone', () => {
    expect(facingPageNo(1, 10)).toBeNull();
    expect(facingPageNo(2, 10)).toBe(3);
    expect(facingPageNo(3, 10)).toBe(2);
    expect(facingPageNo(10, 10)).toBeNull();
    expect(facingPageNo(9, 10)).toBe(8);
    expect(facingPageNo(1, 1)).toBeNull();
  });
});
