import type { Register } from '../../core/register/register.ts';
import { keys } from '../../core/store/keys.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import { toItemDocument } from '../../search/documents.ts';
import type { SearchIndex } from '../../search/search-index.ts';

/** The index is derived: clear it and index every available item again from register + store. */
export async function reindexAll(
  register: Register,
  store: ObjectStore,
  index: SearchIndex,
): Promise<number> {
  await index.clear();
  let n = 0;
  for (const item of register.items.list({ status: 'available' })) {
    const pages = await Promise.all(
      register.pages.list(item.id).map(async (p) => ({
        itemId: item.id,
        page: p.pageNo,
        text: (await store.getBuffer(keys.ocrText(item.id, p.pageNo))).toString('utf8'),
      })),
    );
    await index.upsertItem(toItemDocument(item), pages);
    n++;
  }
  return n;
}
