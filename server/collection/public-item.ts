import { publicAccessOf } from '../../core/access.ts';
import type { Item, Page } from '../../core/item.types.ts';
import { PUBLIC_ACCESS, type PublicAccess } from '../../core/metadata.schema.ts';
import type { Register } from '../../core/register/register.ts';
import { HttpError } from '../http-error.ts';

/** Widest side of the web derivative (workers/engines/page-image.ts): the cap for read-online items. */
export const WEB_WIDTH = 1400;
export const THUMB_WIDTH = 240;

/** The rights values the public may ever see. Anything else (staff-only, review) is invisible. */
export const PUBLIC_RIGHTS: readonly PublicAccess[] = PUBLIC_ACCESS;

export interface PublicItem {
  item: Item;
  access: PublicAccess;
  /** PDF and full-resolution images: open items only. */
  canDownload: boolean;
}

/**
 * The one gate for everything public (pages, IIIF, the JSON API, search hits): an item is public
 * when it is available and its access level is open or read-online (not staff-only, not held for
 * review). Anything else answers 404 — the same answer as an id that never existed, so a
 * restricted item cannot be told apart from a missing one.
 */
export function publicItemOf(item: Item | null | undefined): PublicItem {
  const access = item ? publicAccessOf(item) : null;
  if (!item || !access) throw new HttpError(404, 'Item tidak ditemukan');
  return { item, access, canDownload: access === 'open' && item.pdfKey !== null };
}

/**
 * How the public may see the item (open, read-online), or null: the gate's answer for code that
 * lists items itself (IIIF Collections, OAI-PMH) rather than serving one.
 */
export function publicAccess(item: Pick<Item, 'metadata' | 'status'>): PublicAccess | null {
  return publicAccessOf(item);
}

/** Whether the gate lets the public see the item (search hits are checked with it). */
export function isPublicItem(item: Item | null | undefined): item is Item {
  return !!item && publicAccessOf(item) !== null;
}

/** The public item with this internal id (the collection's and IIIF's URLs). */
export async function publicItem(register: Register, id: string): Promise<PublicItem> {
  return publicItemOf(/^[a-z0-9]{6,40}$/.test(id) ? await register.items.get(id) : null);
}

export async function publicPage(register: Register, pub: PublicItem, pageNo: number): Promise<Page> {
  const page = Number.isInteger(pageNo) ? await register.pages.get(pub.item.id, pageNo) : null;
  if (!page) throw new HttpError(404, 'Halaman tidak ditemukan');
  return page;
}

/** Size of the stored access (full-resolution) image of a page. */
export function fullSize(page: Page): { width: number; height: number } {
  return { width: page.cleanWidth ?? page.width, height: page.cleanHeight ?? page.height };
}

/** Size of a derivative scaled to `maxWidth` as sharp's `resize({ width, withoutEnlargement })` does. */
export function scaledSize(page: Page, maxWidth: number): { width: number; height: number } {
  const full = fullSize(page);
  if (full.width <= maxWidth) return full;
  return { width: maxWidth, height: Math.round((full.height * maxWidth) / full.width) };
}

/** The largest size the public may fetch of this item's pages. */
export function maxSize(pub: PublicItem, page: Page): { width: number; height: number } {
  return pub.access === 'open' ? fullSize(page) : scaledSize(page, WEB_WIDTH);
}
