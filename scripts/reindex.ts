import type { Register } from '../core/register/register.ts';
import { keys } from '../core/store/keys.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { toItemDocument } from '../search/documents.ts';
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
 * stage writes (toItemDocument + each page's OCR text). Items are replaced one at a time, so
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
    const items = register.items.list({ limit: batch, offset });
    for (const item of items) {
      try {
        if (item.status !== 'available') {
          if (!opts.clear) await index.removeItem(item.id);
          report.removed++;
          continue;
        }
        const pages = await Promise.all(
          register.pages.list(item.id).map(async (p) => ({
            itemId: item.id,
            page: p.pageNo,
            text: (await store.getBuffer(keys.ocrText(item.id, p.pageNo))).toString('utf8'),
          })),
        );
        await index.upsertItem(toItemDocument(item), pages);
        report.items++;
        report.pages += pages.length;
        opts.onItem?.(item.id);
      } catch (err) {
        report.failed.push({ itemId: item.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (items.length < batch) break;
  }
  return report;
}
