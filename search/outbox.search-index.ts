import { PindaiError } from '../core/errors.ts';
import type { Register } from '../core/register/register.ts';
import type { SearchIndex } from './search-index.ts';

/**
 * The search index of a worker that has none at hand: a worker on another machine, when the
 * collection uses the embedded index, which lives in one file on the web node. Writes become
 * outbox notes in the register, applied by that node (outbox-applier.ts); reads are refused, since
 * no stage reads the index.
 */
export function createOutboxSearchIndex(register: Pick<Register, 'outbox'>): SearchIndex {
  const noReads = (): never => {
    throw new PindaiError(
      'SEARCH_UNAVAILABLE',
      'this worker writes index changes to the outbox; it cannot search',
    );
  };
  return {
    async upsertItem(item) {
      await register.outbox.add(item.itemId, 'upsert');
    },
    async removeItem(itemId) {
      await register.outbox.add(itemId, 'remove');
    },
    search: async () => noReads(),
    countDocuments: async () => noReads(),
    clear: async () => noReads(),
    async close() {},
  };
}
