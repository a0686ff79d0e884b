import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { coerceError, PindaiError } from '../core/errors.ts';
import { NEXT_STAGE, STAGES, type Stage } from '../core/item.types.ts';
import { isMessageKey, t } from '../core/messages.ts';
import type { Job } from '../core/register/jobs.queries.ts';
import { isDependencyDown } from '../core/transient-error.ts';
import { isLeaseOwnerAlive, newLeaseOwner, retireLeaseOwner } from './lease-owner.ts';
import type { StageDeps, StageHandlers, StageOutcome } from './stage.types.ts';

export interface RunnerOptions {
  concurrency: number;
  /** How long a claimed job stays ours without a heartbeat. */
  leaseMs?: number;
  /** Idle poll interval when the queue is empty. */
  pollMs?: number;
  /**
   * A job that was running when its process died this many times in a row without making
   * progress in between is parked (default 25): a crash loop on a poison page ends, while power
   * cuts and kills, which also land on whatever was running, do not park a job that advances.
   */
  maxCrashes?: number;
  /** First retry delay; doubles per attempt, capped at 5 minutes (default 2000). */
  backoffBaseMs?: number;
  /** After the grace period of stop(), how long aborted stages get before their jobs are released. */
  releaseAfterAbortMs?: number;
  /** The clean stage in a lane of its own, one job at a time, beside `concurrency` others (default true). */
  cleanLane?: boolean;
}

import type { ProgressEvent, StageEvent } from '../core/job-events.ts';

/** How often a running stage's page count is written to its job row, at most (the live queue's step). */
const PROGRESS_WRITE_MS = 1000;

export type { ProgressEvent, StageEvent };

/**
 * Leases jobs from the register and runs their stages. The only place that records stage runs,
 * retries with backoff, parks failed items with a readable reason, and queues the next stage.
 */
export function createJobRunner(deps: StageDeps, handlers: StageHandlers, opts: RunnerOptions) {
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 500;
  const maxCrashes = opts.maxCrashes ?? 25;
  const backoffBaseMs = opts.backoffBaseMs ?? 2000;
  const releaseAfterAbortMs = opts.releaseAfterAbortMs ?? 2000;
  /** Consecutive dependency outages per job: drives their backoff, since no attempt is spent. */
  const outages = new Map<number, number>();
  /** Jobs handed back at shutdown: whatever their stage still does later is not recorded. */
  const released = new Set<number>();
  let stopping = false;
  const owner = newLeaseOwner();
  const events = new EventEmitter();
  const active = new Map<
    number,
    { promise: Promise<void>; abort: AbortController; job: Job; started: number }
  >();
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  const { register, log } = deps;

  function poke() {
    wake?.();
  }

  async function runJob(job: Job, abort: AbortController): Promise<void> {
    const started = Date.now();
    // Before the heartbeat starts: if this write fails, nothing is left running (the lease expires).
    await register.items.setStage(job.itemId, job.stage);
    const heartbeat = setInterval(
      () => {
        void register.jobs.extendLease(job.id, owner, leaseMs).then(
          (ours) => {
            if (!ours) abort.abort(new Error('lease lost'));
          },
          // The register is unreachable for a moment: the next beat tries again, and if none gets
          // through, the lease expires and another worker takes the job over, as when we die.
          (err: unknown) =>
            log.warn({ jobId: job.id, err: coerceError(err).message }, 'lease heartbeat failed'),
        );
      },
      Math.max(1000, leaseMs / 3),
    );
    const saveProgress = progressWriter(job);
    try {
      if (job.crashes >= maxCrashes) {
        throw new PindaiError('stage_crashed', `stage ${job.stage} stopped its process ${job.crashes} times`);
      }
      const outcome = await handlers[job.stage]({
        itemId: job.itemId,
        deps,
        signal: abort.signal,
        progress: (done, total, saved) => {
          if (saved && job.crashes > 0) {
            job.crashes = 0;
            // Not awaited: the stage goes on. Should the write fail, the count is only higher than
            // it should be, and a later page saved clears it again.
            void register.jobs.resetCrashes(job.id, owner).catch((err: unknown) => {
              job.crashes = 1;
              log.warn({ jobId: job.id, err: coerceError(err).message }, 'crash count not reset');
            });
          }
          saveProgress(done, total);
          events.emit('progress', {
            itemId: job.itemId,
            stage: job.stage,
            done,
            total,
          } satisfies ProgressEvent);
        },
      });
      if (!released.has(job.id)) await finish(job, started, outcome);
    } catch (err) {
      if (!released.has(job.id)) await handleError(job, started, coerceError(err), abort.signal);
    } finally {
      clearInterval(heartbeat);
      saveProgress.stop();
    }
  }

  /**
   * The page progress a stage reports, kept on its job row so a queue page in any process shows it:
   * at most one write per PROGRESS_WRITE_MS, the latest count written when the interval ends (never
   * left a page behind), writes in order, and a failed write only logged: the stage goes on.
   */
  function progressWriter(job: Job) {
    let latest: [number, number] | null = null;
    let lastWrite = 0;
    let timer: NodeJS.Timeout | null = null;
    let chain: Promise<void> = Promise.resolve();
    const write = () => {
      timer = null;
      if (!latest) return;
      const [done, total] = latest;
      latest = null;
      lastWrite = Date.now();
      chain = chain
        .then(() => register.jobs.reportProgress(job.id, owner, done, total))
        .catch((err: unknown) =>
          log.warn({ jobId: job.id, err: coerceError(err).message }, 'page progress not saved'),
        );
    };
    const save = (done: number, total: number) => {
      latest = [done, total];
      if (timer) return;
      const wait = lastWrite + PROGRESS_WRITE_MS - Date.now();
      if (wait <= 0) write();
      else timer = setTimeout(write, wait);
    };
    save.stop = () => {
      if (timer) clearTimeout(timer);
      timer = null;
    };
    return save;
  }

  async function finish(job: Job, started: number, outcome: StageOutcome) {
    outages.delete(job.id);
    const durationMs = Date.now() - started;
    const next = NEXT_STAGE[job.stage];
    // Finished after another worker took the expired lease over: recorded as lost, not acted on.
    const kept = await register.jobs.complete(
      job,
      owner,
      {
        startedAt: new Date(started).toISOString(),
        durationMs,
        outcome: outcome.outcome,
        detail: outcome.outcome === 'done' ? (outcome.detail ?? null) : outcome.reason,
      },
      next,
    );
    events.emit('stage', {
      itemId: job.itemId,
      stage: job.stage,
      outcome: kept ? outcome.outcome : 'lost',
      durationMs,
    } satisfies StageEvent);
    if (next) poke();
  }

  /** A failed attempt as the register records it (the message cut to a readable length). */
  function attemptOf(started: number, code: string, err: Error) {
    return {
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      error: { code, message: err.message.slice(0, 2000) },
    };
  }

  /**
   * Not the item's fault: we are shutting down, the lease went to another worker, or a dependency
   * (store, index, disk) is down. The job goes back to the queue without spending an attempt.
   */
  async function handleNotAtFault(
    job: Job,
    started: number,
    err: Error,
    signal: AbortSignal,
  ): Promise<boolean> {
    const reason = signal.aborted ? String((signal.reason as Error)?.message ?? signal.reason) : null;
    if (reason === 'lease lost') {
      await register.jobs.lost(job, owner, attemptOf(started, 'lease_lost', err));
      return true;
    }
    let code: string;
    let delay: number;
    if (stopping && reason !== null) {
      code = 'released';
      delay = 0;
    } else if (isDependencyDown(err)) {
      code = 'dependency_unavailable';
      const n = (outages.get(job.id) ?? 0) + 1;
      outages.set(job.id, n);
      delay = Math.min(300_000, backoffBaseMs * 2 ** (n - 1)) * (0.75 + Math.random() * 0.5);
    } else {
      return false;
    }
    await register.jobs.deferLater(job, owner, Date.now() + delay, attemptOf(started, code, err));
    log.warn({ itemId: job.itemId, stage: job.stage, code, err: err.message }, 'stage deferred');
    events.emit('stage', {
      itemId: job.itemId,
      stage: job.stage,
      outcome: 'retry',
      durationMs: Date.now() - started,
      error: err.message,
    } satisfies StageEvent);
    return true;
  }

  async function handleError(job: Job, started: number, err: Error, signal: AbortSignal) {
    if (await handleNotAtFault(job, started, err, signal)) return;
    outages.delete(job.id);
    const durationMs = Date.now() - started;
    const pe = err instanceof PindaiError ? err : null;
    const code = pe?.code ?? 'internal_error';
    // Unknown errors (disk full, a dependency down) are retried; PindaiErrors say for themselves.
    const retryable = pe ? pe.retryable : true;
    const giveUp = !retryable || job.attempts >= job.maxAttempts;
    const message = readableMessage(deps, job.stage, code, err, pe?.params ?? {});
    const attempt = { ...attemptOf(started, code, err), durationMs };
    if (giveUp) await register.jobs.fail(job, owner, message, attempt);
    else {
      const backoff =
        Math.min(300_000, backoffBaseMs * 2 ** (job.attempts - 1)) * (0.75 + Math.random() * 0.5);
      await register.jobs.retryLater(job, owner, Date.now() + backoff, attempt);
    }
    log[giveUp ? 'error' : 'warn'](
      { itemId: job.itemId, stage: job.stage, code, err: err.message },
      'stage error',
    );
    events.emit('stage', {
      itemId: job.itemId,
      stage: job.stage,
      outcome: giveUp ? 'failed' : 'retry',
      durationMs,
      error: message,
    } satisfies StageEvent);
  }

  /**
   * Claim lanes. With `cleanLane`, the clean stage has a lane of its own (one job at a time) and
   * the other stages share `concurrency` slots: cleaning is pixel work on this process's one JS
   * thread (two at once only interleave), while an OCR job mostly waits on its tesseract
   * processes. Without it the first stages of every queued item would fill all slots before any
   * OCR started, and the OCR processes would sit idle while the JS thread cleaned.
   */
  const lanes: { stages: readonly Stage[] | undefined; size: number }[] =
    (opts.cleanLane ?? true)
      ? [
          { stages: ['clean'], size: 1 },
          { stages: STAGES.filter((s) => s !== 'clean'), size: opts.concurrency },
        ]
      : [{ stages: undefined, size: opts.concurrency }];
  const busy = (lane: (typeof lanes)[number]) => {
    let n = 0;
    for (const a of active.values()) if (!lane.stages || lane.stages.includes(a.job.stage)) n++;
    return n;
  };

  function launch(job: Job) {
    const abort = new AbortController();
    const promise = runJob(job, abort)
      .catch((err: unknown) => {
        // Bookkeeping itself failed (register gone at shutdown): the lease expires and the job is retried.
        log.error({ itemId: job.itemId, stage: job.stage, err: coerceError(err).message }, 'runner error');
      })
      .finally(() => {
        active.delete(job.id);
        poke();
      });
    active.set(job.id, { promise, abort, job, started: Date.now() });
  }

  /**
   * The OCR job of an item whose pages this process read ahead while cleaning it (ocr-read-ahead.ts),
   * before any other job: the results are only here. A few items, oldest first.
   */
  async function claimReadAhead(stages: readonly Stage[] | undefined): Promise<Job | null> {
    if (!deps.ocrAhead || (stages && !stages.includes('ocr'))) return null;
    const mine = new Set([...active.values()].map((a) => a.job.itemId));
    for (const itemId of deps.ocrAhead.waitingItems().slice(0, 4)) {
      if (mine.has(itemId)) continue;
      const job = await register.jobs.claim(owner, leaseMs, ['ocr'], itemId);
      if (job) return job;
    }
    return null;
  }

  async function mainLoop() {
    while (running) {
      let claimed = false;
      for (const lane of lanes) {
        if (busy(lane) >= lane.size) continue;
        const job =
          (await claimReadAhead(lane.stages)) ?? (await register.jobs.claim(owner, leaseMs, lane.stages));
        if (job && !running) {
          // stop() came while the claim was on its way: hand the job straight back, attempt unspent.
          const why = new Error('released at shutdown before it started');
          await register.jobs.deferLater(job, owner, Date.now(), attemptOf(Date.now(), 'released', why));
          return;
        }
        if (job) {
          launch(job);
          claimed = true;
        }
      }
      if (claimed) continue;
      const nextAt = await register.jobs.nextRunAt();
      // stop() may have come during an await above, when there was no wait to wake.
      if (!running) break;
      const wait = nextAt === null ? pollMs : Math.max(10, Math.min(pollMs, nextAt - Date.now()));
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, wait).unref();
      });
      wake = null;
    }
  }

  return {
    owner,
    events,
    poke,
    /** Release the jobs of dead processes on this host, then start claiming. */
    async start() {
      if (running) return;
      running = true;
      try {
        const released = await register.jobs.releaseDeadLeases(isLeaseOwnerAlive);
        if (released > 0) log.info({ released }, 'released jobs of stopped processes');
      } catch (err) {
        running = false;
        throw err;
      }
      // stop() may have come while the dead leases were being released.
      if (running) loop = mainLoop();
    },
    /**
     * Stop claiming; wait up to `graceMs` for running stages to finish, then abort them. A stage
     * that does not stop within `releaseAfterAbortMs` (an OCR page in flight) has its job released
     * back to the queue without spending an attempt; whatever it still does is not recorded, and
     * its outputs are rewritten by the next run (stages are safe to run twice).
     */
    async stop(graceMs = 30_000) {
      running = false;
      stopping = true;
      poke();
      await loop;
      const settled = () => Promise.all([...active.values()].map((a) => a.promise));
      const timedOut = await Promise.race([
        settled().then(() => false),
        sleep(graceMs, true, { ref: false }),
      ]);
      if (timedOut) {
        for (const a of active.values()) a.abort.abort(new Error('shutting down'));
        const stuck = await Promise.race([
          settled().then(() => false),
          sleep(releaseAfterAbortMs, true, { ref: false }),
        ]);
        if (stuck) {
          for (const [id, a] of active) {
            released.add(id);
            const why = new Error(`released at shutdown after ${graceMs} ms`);
            await register.jobs.deferLater(a.job, owner, Date.now(), attemptOf(a.started, 'released', why));
          }
          if (active.size > 0) log.warn({ jobs: [...active.keys()] }, 'released running jobs at shutdown');
        }
      }
      retireLeaseOwner(owner);
    },
    /** Resolve when none of `itemIds` (or no job at all) is queued or running. */
    async drain(itemIds?: string[]) {
      while ((await register.jobs.pendingCount(itemIds)) > 0) await sleep(200);
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;

function readableMessage(
  deps: StageDeps,
  stage: Stage,
  code: string,
  err: Error,
  params: Record<string, string | number>,
): string {
  const lang = deps.config.lang;
  if (isMessageKey(code)) return t(lang, code, { detail: err.message, stage, ...params });
  return t(lang, 'stage_failed', { stage, detail: err.message });
}
