import { PindaiError } from '../../core/errors.ts';
import { parseNomorTemplate } from '../../core/nomor-induk.ts';
import type { StageHandler } from '../stage.types.ts';

/**
 * Step 2 of the SOP: record the item in the Buku Induk. Checks the pages are all there and makes
 * sure the item has its nomor induk alih media: intake gives it at acceptance (for the receipt),
 * so this keeps that number; only an item received by an older Pindai gets one here.
 */
export const registerStage: StageHandler = async ({ itemId, deps }) => {
  const { register, config } = deps;
  const item = await register.items.get(itemId);
  if (!item) throw new PindaiError('item_missing', `item ${itemId} not found`);
  const pages = await register.pages.list(itemId);
  if (pages.length !== item.pageCount || pages.length === 0) {
    throw new PindaiError('pages_missing', `item has ${pages.length} page rows, expected ${item.pageCount}`);
  }
  const template = parseNomorTemplate(config.nomorTemplate);
  const nomor = await register.items.allocateNomorInduk(itemId, template, config.collectionCode);
  return { outcome: 'done', detail: nomor };
};
