/**
 * One acceptance at a time per batch folder in this process. Two callers accepting the same folder
 * at once (a watcher tick and an operator's `pindai ingest`, or repeated upload requests) would
 * otherwise both store originals and both try to move the folder. Across processes the register's
 * IMMEDIATE transaction in acceptBatch keeps the item single; this lock keeps the folder moves sane.
 */
const tails = new Map<string, Promise<unknown>>();

export async function withBatchLock<T>(key: string, fn: (waited: boolean) => Promise<T>): Promise<T> {
  const before = tails.get(key);
  let release: () => void = () => {};
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = (before ?? Promise.resolve()).then(() => mine);
  tails.set(key, tail);
  try {
    // biome-ignore lint/nursery/noMisusedPromises: whether a holder is there, not what it resolves to.
    if (before) await before.catch(() => undefined);
    return await fn(before !== undefined);
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
