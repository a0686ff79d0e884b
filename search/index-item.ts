import type { Item } from '../core/item.types.ts';
import type { Register } from '../core/register/register.ts';
import { keys } from '../core/store/keys.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { toItemDocument } from './documents.ts';
import type { SearchIndex } from './search-index.ts';

export interface IndexItemDeps {
  register: Pick<Register, 'items' | 'pages'>;
  store: ObjectStore;
  index: SearchIndex;
}

/**
 * Write one item's search documents: the item (toItemDocument) and each page's OCR text from the
 * store. The one way an item enters the index: the publish stage, staff edits, access changes and
 * `pindai reindex` all come here. A page without stored text fails the call (`missingText: 'fail'`,
 * the default: publishing without text would hide the page from search) or is indexed empty
 * (`'empty'`: a re-index of an item already public must not take it out over one page).
 * Returns the number of pages indexed.
 */
export async function indexItem(
  deps: IndexItemDeps,
  item: Item,
  opts: { missingText?: 'fail' | 'empty' } = {},
): Promise<number> {
  const { register, store, index } = deps;
  const pages = await register.pages.list(item.id);
  const texts = await Promise.all(
    pages.map(async (p) => {
      const key = keys.ocrText(item.id, p.pageNo);
      const missing = opts.missingText === 'empty' && !(await store.head(key));
      return {
        itemId: item.id,
        page: p.pageNo,
        text: missing ? '' : (await store.getBuffer(key)).toString('utf8'),
      };
    }),
  );
  await index.upsertItem(toItemDocument(item), texts);
  return texts.length;
}

/**
 * Re-index an item now if it is public-facing already (available), after a metadata edit or an
 * access change. An item still processing is left to the publish stage, which indexes what the
 * register says then. Returns whether the index was written.
 */
export async function reindexIfAvailable(deps: IndexItemDeps, itemId: string): Promise<boolean> {
  const item = await deps.register.items.get(itemId);
  if (item?.status !== 'available') return false;
  await indexItem(deps, item, { missingText: 'empty' });
  return true;
}
