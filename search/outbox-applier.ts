import type { Logger } from 'pino';
import type { Register } from '../core/register/register.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { indexItem } from './index-item.ts';
import type { SearchIndex } from './search-index.ts';

export interface OutboxApplierDeps {
  register: Pick<Register, 'outbox' | 'items' | 'pages'>;
  store: ObjectStore;
  /** The index this node holds (the embedded one). */
  index: SearchIndex;
}

const BATCH = 50;

/**
 * Apply the outbox's notes to this node's index, oldest first, and delete each once applied. A
 * note only says which item changed: the item is indexed as the register has it now (available
 * and not withdrawn), else removed, so a repeated or late note does no harm. Returns how many
 * notes were applied. A note that fails stays for the next pass (and stops this one, to keep order).
 */
export async function applyOutbox(deps: OutboxApplierDeps): Promise<number> {
  let applied = 0;
  for (;;) {
    const notes = await deps.register.outbox.next(BATCH);
    if (notes.length === 0) return applied;
    for (const note of notes) {
      const item = await deps.register.items.get(note.itemId);
      if (note.action === 'upsert' && item?.status === 'available') {
        await indexItem(deps, item, { missingText: 'empty' });
      } else {
        await deps.index.removeItem(note.itemId);
      }
      await deps.register.outbox.remove([note.id]);
      applied++;
    }
  }
}

/** Apply the outbox every `intervalMs` (and at once); `stop` waits for a pass under way. */
export function startOutboxApplier(
  deps: OutboxApplierDeps,
  opts: { intervalMs: number; log: Logger },
): { stop(): Promise<void>; poke(): void } {
  let running: Promise<void> | null = null;
  let stopped = false;
  const pass = () => {
    if (running || stopped) return;
    running = applyOutbox(deps)
      .then((n) => {
        if (n > 0) opts.log.info({ applied: n }, 'index outbox applied');
      })
      .catch((err: unknown) => opts.log.warn({ err }, 'index outbox: will retry'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(pass, opts.intervalMs);
  timer.unref();
  pass();
  return {
    poke: pass,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
