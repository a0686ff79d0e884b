import { accessOf } from '../core/access.ts';
import { PindaiError } from '../core/errors.ts';
import type { Item } from '../core/item.types.ts';
import type { ItemDocument, PageDocument } from './search-index.ts';
import { stripMarkers } from './snippet.ts';

/** The one mapping from a register item to its search document. */
export function toItemDocument(item: Item): ItemDocument {
  const m = item.metadata;
  return {
    itemId: item.id,
    nomorInduk: item.nomorInduk ?? '',
    title: item.title,
    creator: m.creator?.join('; '),
    publisher: m.publisher,
    year: m.year,
    language: m.language,
    type: m.type,
    collection: m.collection,
    rights: accessOf(item),
    callNumber: m.callNumber,
    subjects: m.subjects,
    pageCount: item.pageCount,
    publishedAt: item.availableAt ?? new Date().toISOString(),
  };
}

/** What the metadata row matches besides the title; order matters only for snippets. */
export function metadataText(item: ItemDocument): string {
  return [item.creator, item.publisher, ...(item.subjects ?? []), item.callNumber, item.nomorInduk]
    .filter((s): s is string => typeof s === 'string' && s.trim() !== '')
    .join(' · ');
}

/**
 * The text a search record shows, its parts in order. Folded copies are derived from exactly
 * this, so highlighted parts joined the same way line up word for word with the highlighted
 * fold (alignment counts words only, so the separator may change without a reindex).
 */
export function displayText(parts: string[]): string {
  return parts.filter((p) => p !== '').join(' · ');
}

/** Indexed text: NFC, with the snippet marker characters removed so nothing can forge a match. */
export function cleanText(text: string): string {
  return stripMarkers(text.normalize('NFC'));
}

/** Rejects what the SearchIndex contract says upsertItem must reject (SEARCH_BAD_DOCUMENT). */
export function validateDocuments(item: ItemDocument, pages: PageDocument[]): void {
  const fail = (message: string, params: Record<string, string | number> = {}): never => {
    throw new PindaiError('SEARCH_BAD_DOCUMENT', message, { params: { itemId: item.itemId, ...params } });
  };
  if (!item.itemId) fail('Item without itemId cannot be indexed');
  const seen = new Set<number>();
  for (const page of pages) {
    if (page.itemId !== item.itemId) fail(`Page of ${page.itemId} passed with item ${item.itemId}`);
    if (!Number.isInteger(page.page) || page.page < 1)
      fail(`Bad page number ${page.page}`, { page: page.page });
    if (seen.has(page.page)) fail(`Page ${page.page} given twice`, { page: page.page });
    seen.add(page.page);
  }
}
