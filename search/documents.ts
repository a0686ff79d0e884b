import type { Item } from '../core/item.types.ts';
import type { ItemDocument } from './search-index.ts';

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
    rights: m.rights ?? 'open',
    callNumber: m.callNumber,
    subjects: m.subjects,
    pageCount: item.pageCount,
    publishedAt: item.availableAt ?? new Date().toISOString(),
  };
}
