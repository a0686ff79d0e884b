import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../core/config.ts';
import { createPindai } from '../pindai-context.ts';

/**
 * `pindai worker`: the job runner only — no HTTP, no inbox watcher. Run as many as the
 * machine(s) allow next to one `pindai serve`; jobs are leased from the register, so two workers
 * never run the same stage of an item and a crashed worker's lease is taken over.
 */
export async function workerCommand(config: Config): Promise<void> {
  if (config.jobConcurrency === 0) {
    process.stderr.write('PINDAI_JOB_CONCURRENCY=0: pekerja tanpa tugas; setel minimal 1.\n');
    process.exit(2);
  }
  // A worker on another machine cannot open the web node's embedded index: with a shared
  // (PostgreSQL) register its index changes go to the register's outbox, which serve applies.
  const app = await createPindai(config, {
    indexVia: config.registerUrl && config.search.kind === 'embedded' ? 'outbox' : 'direct',
  });
  const { log } = app;
  app.runner.events.on('stage', (e) => log.info(e, 'stage'));
  await app.runner.start();
  app.replicator?.start();
  // Touched while the event loop runs: the container health check reads its age.
  const heartbeat = path.join(os.tmpdir(), 'pindai-worker.alive');
  const beat = () => fs.writeFileSync(heartbeat, `${Date.now()}\n`);
  beat();
  const timer = setInterval(beat, 15_000);
  log.info({ store: config.store.kind, search: config.search.kind, data: config.dataDir }, 'worker ready');
  process.stderr.write(
    `Pekerja Pindai berjalan (register ${config.registerUrl ? 'PostgreSQL' : 'SQLite'}, penyimpanan ${config.store.kind}, indeks ${
      config.registerUrl && config.search.kind === 'embedded' ? 'lewat outbox' : config.search.kind
    })\n`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    clearInterval(timer);
    // Let running stages finish (their leases would otherwise have to expire first).
    await app.close(config.stopGraceMs);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
