import type { Register } from '../../core/register/register.ts';
import { keys } from '../../core/store/keys.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import { toItemDocument } from '../../search/documents.ts';
import type { SearchIndex } from '../../search/search-index.ts';

/** Re-index a published item now (after a metadata edit), with the page text already in the store. */
export async function reindexItem(
  register: Register,
  store: ObjectStore,
  index: SearchIndex,
  itemId: string,
) {
  const item = register.items.get(itemId);
  if (item?.status !== 'available') return false;
  const pages = register.pages.list(itemId);
  const texts = await Promise.all(
    pages.map(async (p) => {
      const key = keys.ocrText(itemId, p.pageNo);
      return {
        itemId,
        page: p.pageNo,
        text: (await store.head(key)) ? (await store.getBuffer(key)).toString('utf8') : '',
      };
    }),
  );
  await index.upsertItem(toItemDocument(item), texts);
  return true;
}
