/**
 * Result shaping shared by every SearchIndex adapter, so paging bounds and item grouping mean
 * the same thing whichever backend answered.
 */

import {
  DEFAULT_SEARCH_LIMIT,
  type ItemHit,
  MAX_PAGES_PER_ITEM_HIT,
  MAX_SEARCH_LIMIT,
  type PageHit,
} from './search-index.ts';

/** A page hit with the item fields an ItemHit repeats. */
export interface RichHit extends PageHit {
  creator?: string;
  year?: number;
  type?: string;
  rights?: string;
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_SEARCH_LIMIT;
  return Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(limit)));
}

export function clampOffset(offset: number | undefined): number {
  if (offset === undefined || !Number.isFinite(offset)) return 0;
  return Math.max(0, Math.floor(offset));
}

/**
 * Groups hits per item in order of first appearance: hits must arrive in result order (best
 * first within an item), so the first hit seen for an item is its best.
 */
export function groupByItem(hits: RichHit[]): ItemHit[] {
  const items = new Map<string, ItemHit>();
  for (const hit of hits) {
    let item = items.get(hit.itemId);
    if (!item) {
      item = {
        itemId: hit.itemId,
        nomorInduk: hit.nomorInduk,
        title: hit.title,
        ...(hit.creator !== undefined && { creator: hit.creator }),
        ...(hit.year !== undefined && { year: hit.year }),
        ...(hit.type !== undefined && { type: hit.type }),
        ...(hit.rights !== undefined && { rights: hit.rights }),
        score: hit.score,
        pages: [],
        snippet: hit.snippet,
      };
      items.set(hit.itemId, item);
    }
    if (hit.page !== null && item.pages.length < MAX_PAGES_PER_ITEM_HIT) item.pages.push(hit.page);
  }
  return [...items.values()];
}

export function toPageHit(hit: RichHit): PageHit {
  return {
    itemId: hit.itemId,
    nomorInduk: hit.nomorInduk,
    title: hit.title,
    page: hit.page,
    snippet: hit.snippet,
    score: hit.score,
  };
}
