import { HttpError } from './http-error.ts';

/**
 * A page number from a URL path. Canonical positive integers only ("1", "12"; at most six
 * digits), so every page has one URL: "01", "1e0", "0x1", "1.0", " 1" are 404s like a missing page.
 */
export function pageNumberParam(s: unknown): number {
  if (typeof s !== 'string' || !/^[1-9]\d{0,5}$/.test(s)) throw new HttpError(404, 'Halaman tidak ditemukan');
  return Number(s);
}
