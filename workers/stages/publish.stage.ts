import { keys } from '../../core/store/keys.ts';
import { toItemDocument } from '../../search/documents.ts';
import { buildManifest } from '../manifest.ts';
import type { StageHandler } from '../stage.types.ts';

/**
 * Step 4 of the SOP: enter the item into the database. Writes the manifest (every object with its
 * SHA-256, enough to rebuild the register), indexes the item and each page, marks it available.
 */
export const publishStage: StageHandler = async ({ itemId, deps }) => {
  const { register, store, index } = deps;
  const item = register.items.get(itemId);
  if (!item) throw new Error(`item ${itemId} not found`);
  const pages = register.pages.list(itemId);
  const manifest = await buildManifest(store, item, pages, register.items.numberingOf(itemId));
  await store.put(keys.manifest(itemId), Buffer.from(JSON.stringify(manifest, null, 2)), {
    contentType: 'application/json',
  });
  const texts = await Promise.all(
    pages.map(async (p) => ({
      itemId,
      page: p.pageNo,
      text: (await store.getBuffer(keys.ocrText(itemId, p.pageNo))).toString('utf8'),
    })),
  );
  const fresh = register.items.get(itemId) ?? item;
  await index.upsertItem(toItemDocument(fresh), texts);
  register.items.markAvailable(itemId);
  return { outcome: 'done', detail: `${manifest.objects.length} objects` };
};
