import type { Register } from '../core/register/register.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { indexItem } from '../search/index-item.ts';
import type { SearchIndex } from '../search/search-index.ts';

export interface ReindexReport {
  items: number;
  pages: number;
  /** Items in the register that are not available (failed, withdrawn): taken out of the index. */
  removed: number;
  failed: Array<{ itemId: string; error: string }>;
}

/**
 * Rebuilds the search index from the register and the store: the same documents the publish
 * stage writes (search/index-item.ts). Items are replaced one at a time, so
 * searches keep working during a rebuild; `clear` starts from an empty index instead (drops
 * entries for items the register no longer knows).
 */
export async function rebuildIndex(
  deps: { register: Register; store: ObjectStore; index: SearchIndex },
  opts: { clear?: boolean; onItem?: (itemId: string) => void } = {},
): Promise<ReindexReport> {
  const { register, store, index } = deps;
  const report: ReindexReport = { items: 0, pages: 0, removed: 0, failed: [] };
  if (opts.clear) await index.clear();
  const batch = 500;
  for (let offset = 0; ; offset += batch) {
    const items = await register.items.list({ limit: batch, offset });
    for (const item of items) {
      try {
        if (item.status !== 'available') {
          if (!opts.clear) await index.removeItem(item.id);
          report.removed++;
          continue;
        }
        const pages = await indexItem({ register, store, index }, item);
        report.items++;
        report.pages += pages;
        opts.onItem?.(item.id);
      } catch (err) {
        report.failed.push({ itemId: item.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (items.length < batch) break;
  }
  return report;
}
