import { describe, expect, it } from 'vitest';
import { rightsUri } from './rights-uri.ts';

describe('rightsUri', () => {
  it('gives the canonical http URI for Creative Commons licences in any spelling', () => {
    for (const s of [
      'CC BY-SA 4.0',
      'cc-by-sa-4.0',
      'https://creativecommons.org/licenses/by-sa/4.0/',
      'https://creativecommons.org/licenses/by-sa/4.0/deed.id',
      'http://www.creativecommons.org/licenses/BY-SA/4.0',
    ])
      expect(rightsUri(s), s).toBe('http://creativecommons.org/licenses/by-sa/4.0/');
    expect(rightsUri('CC0')).toBe('http://creativecommons.org/publicdomain/zero/1.0/');
    expect(rightsUri('PDM')).toBe('http://creativecommons.org/publicdomain/mark/1.0/');
  });

  it('gives rightsstatements.org vocabulary URIs, from a code or a page URL', () => {
    expect(rightsUri('InC')).toBe('http://rightsstatements.org/vocab/InC/1.0/');
    expect(rightsUri('noc-nc')).toBe('http://rightsstatements.org/vocab/NoC-NC/1.0/');
    expect(rightsUri('https://rightsstatements.org/page/InC-EDU/1.0/?language=en')).toBe(
      'http://rightsstatements.org/vocab/InC-EDU/1.0/',
    );
  });

  it('refuses what IIIF does not allow as rights', () => {
    for (const s of [
      'open',
      'CC BY 5.0',
      'https://example.org/licence',
      'https://creativecommons.org/licenses/xyz/4.0/',
      'http://rightsstatements.org/vocab/Free/1.0/',
    ])
      expect(rightsUri(s), s).toBeNull();
  });
});
