import { describe, expect, it } from 'vitest';
import { paragraphsOf } from './page-text.tsx';

describe('paragraphsOf', () => {
  it('joins the lines of a paragraph, keeps paragraphs apart and hyphens at line ends', () => {
    expect(paragraphsOf('Naskah tua\nyang rapuh\n\n  anak-\nanak bermain\n\n\n')).toEqual([
      'Naskah tua yang rapuh',
      'anak-anak bermain',
    ]);
    expect(paragraphsOf(' \n \n')).toEqual([]);
  });
});
