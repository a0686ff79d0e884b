/**
 * Staff changes to an item that the public index must follow. The register changes first (its
 * previous state kept as a revision), then the index: a crash between the two leaves an index that
 * `pindai reindex` puts right, never a register that lost the change.
 */
import type { Item } from '../core/item.types.ts';
import type { ItemMetadata } from '../core/metadata.schema.ts';
import type { Register } from '../core/register/register.ts';
import { type IndexItemDeps, reindexIfAvailable } from './index-item.ts';
import type { SearchIndex } from './search-index.ts';

type StaffItemQueries = Register['staffItems'];

/** Withdraw an item: it leaves the collection and the index at once; its files stay in the store. */
export async function withdrawItem(
  deps: { staffItems: Pick<StaffItemQueries, 'withdraw'>; index: Pick<SearchIndex, 'removeItem'> },
  itemId: string,
  username: string,
  reason: string,
): Promise<void> {
  await deps.staffItems.withdraw(itemId, username, reason);
  await deps.index.removeItem(itemId);
}

/**
 * Undo a withdrawal: the register gives the item back its earlier status, and an available item
 * is in search again at once. The status restored, or null when the item was not withdrawn.
 */
export async function restoreItem(
  deps: IndexItemDeps & { staffItems: Pick<StaffItemQueries, 'restore'> },
  itemId: string,
  username: string,
  reason: string,
): Promise<string | null> {
  const status = await deps.staffItems.restore(itemId, username, reason);
  if (status) await reindexIfAvailable(deps, itemId);
  return status;
}

/**
 * Replace an item's title and metadata and re-index it if it is public-facing. Returns the names
 * of the fields that changed (for the audit log) and whether the index was written.
 */
export async function editItemMetadata(
  deps: IndexItemDeps & { staffItems: Pick<StaffItemQueries, 'updateMetadata'> },
  item: Item,
  title: string,
  metadata: ItemMetadata,
  username: string,
): Promise<{ changed: string[]; reindexed: boolean }> {
  await deps.staffItems.updateMetadata(item, title, metadata, username);
  const changed = [...new Set([...Object.keys(item.metadata), ...Object.keys(metadata)])].filter(
    (k) =>
      JSON.stringify(item.metadata[k as keyof ItemMetadata]) !==
      JSON.stringify(metadata[k as keyof ItemMetadata]),
  );
  const reindexed = await reindexIfAvailable(deps, item.id);
  return { changed, reindexed };
}
