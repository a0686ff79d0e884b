import { createInboxWatcher } from '../../ingest/inbox-watcher.ts';
import type { Pindai } from '../../scripts/pindai-context.ts';

/**
 * The watched inbox of a test's Pindai, wired as `pindai serve` wires it (accepted batches move to
 * arsip/, refused ones to gagal/), with quick marker settling for tests. Attach listeners, then start it.
 */
export function watchInbox(pindai: Pick<Pindai, 'config' | 'accept'>) {
  const { config } = pindai;
  const watcher = createInboxWatcher({
    inboxDir: config.inboxDir,
    reserved: ['arsip', 'gagal'],
    quietMs: config.quietMs,
    markerSettleMs: 200,
    poll: false,
    pollMs: 100,
    accept: (dir, { arrivedAt }) =>
      pindai.accept(dir, {
        intake: 'watch',
        arrivedAt,
        disposition: { kind: 'move', archiveDir: config.archiveDir, failedDir: config.failedDir },
      }),
  });
  return watcher;
}
