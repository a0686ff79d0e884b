import type { Register } from '../core/register/register.ts';
import { pageDerivatives } from '../core/store/keys.ts';
import type { ObjectStore } from '../core/store/object-store.ts';

type StaffItemQueries = Register['staffItems'];

/**
 * Give an item's pages a new order (page numbers listed in their new order; a number left out is
 * removed), keep the old arrangement as a revision and redo the item from cleaning. Originals are
 * never touched; derivatives of page numbers that no longer exist are deleted, or they would linger
 * in the next manifest. Returns the page count before, or null when the item may not be redone now
 * (busy, withdrawn, never cleaned).
 */
export async function rearrangePages(
  deps: { staffItems: Pick<StaffItemQueries, 'rearrangePages'>; store: Pick<ObjectStore, 'delete'> },
  itemId: string,
  order: number[],
  username: string,
): Promise<number | null> {
  const before = await deps.staffItems.rearrangePages(itemId, order, username);
  if (before === null) return null;
  for (let no = order.length + 1; no <= before; no++) {
    for (const key of pageDerivatives) await deps.store.delete(key(itemId, no));
  }
  return before;
}
