/** Every public URL of the collection is built here (relative, for HTML). */
import type { Page } from '../../core/item.types.ts';
import { maxSize, type PublicItem, scaledSize, THUMB_WIDTH, WEB_WIDTH } from './public-item.ts';

const qs = (params: Record<string, string | number | undefined>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
};

export const urls = {
  item: (itemId: string, q?: string) => `/item/${itemId}${qs({ q })}`,
  page: (itemId: string, pageNo: number, q?: string) => `/item/${itemId}/halaman/${pageNo}${qs({ q })}`,
  text: (itemId: string) => `/item/${itemId}/teks`,
  pdf: (itemId: string) => `/item/${itemId}/pdf`,
  manifest: (itemId: string) => `/iiif/${itemId}/manifest`,
  image: (itemId: string, pageNo: number, width: number) =>
    `/iiif/${itemId}/p${pageNo}/full/${width},/0/default.jpg`,
  thumb: (itemId: string, page: Page) => urls.image(itemId, page.pageNo, scaledSize(page, THUMB_WIDTH).width),
  search: (params: Record<string, string | number | undefined>) => `/cari${qs(params)}`,
};

/** Widths offered to the browser for a page image: it picks the one its screen needs. */
const SRCSET_WIDTHS = [480, 720, 1000];

export function pageSrcset(pub: PublicItem, page: Page, canCut: boolean): { src: string; srcset: string } {
  const web = scaledSize(page, WEB_WIDTH).width;
  const limit = maxSize(pub, page).width;
  const widths = new Set<number>([scaledSize(page, THUMB_WIDTH).width, web]);
  if (canCut) for (const w of SRCSET_WIDTHS) if (w < web && w <= limit) widths.add(w);
  const srcset = [...widths]
    .sort((a, b) => a - b)
    .map((w) => `${urls.image(pub.item.id, page.pageNo, w)} ${w}w`)
    .join(', ');
  return { src: urls.image(pub.item.id, page.pageNo, web), srcset };
}
