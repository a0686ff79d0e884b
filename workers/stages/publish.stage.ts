import { keys } from '../../core/store/keys.ts';
import { indexItem } from '../../search/index-item.ts';
import { buildManifest } from '../manifest.ts';
import type { StageHandler } from '../stage.types.ts';

/**
 * Step 4 of the SOP: enter the item into the database. Writes the manifest (every object with its
 * SHA-256, enough to rebuild the register), indexes the item and each page, marks it available.
 */
export const publishStage: StageHandler = async ({ itemId, deps }) => {
  const { register, store, index } = deps;
  const item = await register.items.get(itemId);
  if (!item) throw new Error(`item ${itemId} not found`);
  const pages = await register.pages.list(itemId);
  const manifest = await buildManifest(store, item, pages, await register.items.numberingOf(itemId));
  await store.put(keys.manifest(itemId), Buffer.from(JSON.stringify(manifest, null, 2)), {
    contentType: 'application/json',
  });
  // Every page's text must be there: publishing without it would hide the page from search.
  await indexItem({ register, store, index }, (await register.items.get(itemId)) ?? item);
  await register.items.markAvailable(itemId);
  return { outcome: 'done', detail: `${manifest.objects.length} objects` };
};
