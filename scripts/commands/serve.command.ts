import type { Config } from '../../core/config.ts';
import { fixityHealth } from '../../core/fixity-health.ts';
import { replicaHealth, replicaHealthz } from '../../core/replica/replica-health.ts';
import { createInboxWatcher } from '../../ingest/inbox-watcher.ts';
import { messageOf } from '../../ingest/problems.ts';
import { startOutboxApplier } from '../../search/outbox-applier.ts';
import type { createApp } from '../../server/app.ts';
import { createPindai, type Pindai } from '../pindai-context.ts';
import { fixityRunDepsOf } from '../recovery/fixity-run.ts';
import { createFixityScheduler } from '../recovery/fixity-schedule.ts';

/** /healthz's details: queue depths, fixity (last run, damaged items, overdue) and replica lag. */
export async function serveHealth(
  app: Pick<Pindai, 'register' | 'config'>,
  watcher: { pending(): unknown[] },
): Promise<Record<string, unknown>> {
  return {
    pendingJobs: await app.register.jobs.pendingCount(),
    inbox: watcher.pending().length,
    indexOutbox: await app.register.outbox.pendingCount(),
    fixity: await fixityHealth(app.register, { overdueDays: app.config.fixity.overdueDays }),
    replica: replicaHealthz(await replicaHealth(app.register, app.config.replica)),
  };
}

/** `pindai serve`: inbox watcher + workers + HTTP in one process (the embedded default). */
export async function serveCommand(config: Config): Promise<void> {
  const app = await createPindai(config);
  const { log } = app;
  const watcher = createInboxWatcher({
    inboxDir: config.inboxDir,
    reserved: ['arsip', 'gagal'],
    quietMs: config.quietMs,
    poll: config.watchPoll,
    pollMs: config.watchPollMs,
    accept: (dir, { arrivedAt }) =>
      app.accept(dir, {
        intake: 'watch',
        arrivedAt,
        disposition: { kind: 'move', archiveDir: config.archiveDir, failedDir: config.failedDir },
        // A damaged page touched this recently is still being copied: wait instead of rejecting.
        incompleteGraceMs: config.quietMs * 4,
      }),
  });
  watcher.events.on('batch', ({ name, result }) => {
    const reasons = result.problems.map((p: Parameters<typeof messageOf>[1]) => messageOf(config.lang, p));
    log.info({ batch: name, status: result.status, itemId: result.item?.id, reasons }, 'batch');
  });
  watcher.events.on('error', ({ name, error }) =>
    log.error({ batch: name, err: error.message }, 'batch not accepted yet'),
  );
  app.runner.events.on('stage', (e) => log.info(e, 'stage'));
  // The embedded index lives here: apply what workers elsewhere noted in the register's outbox.
  const outbox =
    config.search.kind === 'embedded'
      ? startOutboxApplier(
          { register: app.register, store: app.store, index: app.index },
          { intervalMs: 2000, log },
        )
      : null;

  // Fixity on a schedule (PINDAI_FIXITY_AT): of several serve processes on one register, one
  // checks a given night; the others find it claimed.
  const fixity = config.fixity.at
    ? createFixityScheduler(fixityRunDepsOf(app, 'sistem'), {
        at: config.fixity.at,
        share: config.fixity.share,
      })
    : null;

  let server: ReturnType<ReturnType<typeof createApp>['listen']> | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    server?.close();
    await watcher.stop();
    await outbox?.stop();
    await fixity?.stop();
    await app.close(config.stopGraceMs);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  // PINDAI_JOB_CONCURRENCY=0: a web node only; workers on other machines run the stages.
  if (config.jobConcurrency > 0) await app.runner.start();
  app.replicator?.start();
  await watcher.start();
  fixity?.start();
  // The web app (express, the views, the staff workspace: ~100 of Pindai's modules) loads once
  // the workers and the inbox watcher run: a batch waiting in the inbox is taken in while it loads
  // (~0.5 s sooner after a start).
  const [{ createApp }, { collectionDepsOf }, { staffDepsOf }] = await Promise.all([
    import('../../server/app.ts'),
    import('../collection-deps.ts'),
    import('../staff-deps.ts'),
  ]);
  if (stopping) return;
  const http = createApp({
    ...collectionDepsOf(app),
    health: () => serveHealth(app, watcher),
    staff: staffDepsOf(app),
    trustProxy: config.trustProxy,
  });
  const listening = http.listen(config.port, config.host, () => {
    const addr = listening.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    log.info(
      { url: `http://${config.host}:${port}/`, inbox: config.inboxDir, data: config.dataDir },
      'Pindai siap',
    );
    process.stderr.write(
      `Pindai berjalan di http://${config.host}:${port}/  — folder masuk (inbox): ${config.inboxDir}\n`,
    );
  });
  server = listening;
}
