import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { coerceError, PindaiError } from '../core/errors.ts';
import { NEXT_STAGE, type Stage } from '../core/item.types.ts';
import { isMessageKey, t } from '../core/messages.ts';
import type { Job } from '../core/register/jobs.queries.ts';
import { isLeaseOwnerAlive, newLeaseOwner, retireLeaseOwner } from './lease-owner.ts';
import type { StageDeps, StageHandlers, StageOutcome } from './stage.types.ts';

export interface RunnerOptions {
  concurrency: number;
  /** How long a claimed job stays ours without a heartbeat. */
  leaseMs?: number;
  /** Idle poll interval when the queue is empty. */
  pollMs?: number;
  /** A job that killed its process this many times is parked. */
  maxCrashes?: number;
}

export interface ProgressEvent {
  itemId: string;
  stage: Stage;
  done: number;
  total: number;
}

export interface StageEvent {
  itemId: string;
  stage: Stage;
  outcome: StageOutcome['outcome'] | 'retry' | 'failed' | 'lost';
  durationMs: number;
  error?: string;
}

/**
 * Leases jobs from the register and runs their stages. The only place that records stage runs,
 * retries with backoff, parks failed items with a readable reason, and queues the next stage.
 */
export function createJobRunner(deps: StageDeps, handlers: StageHandlers, opts: RunnerOptions) {
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 500;
  const maxCrashes = opts.maxCrashes ?? 10;
  const owner = newLeaseOwner();
  const events = new EventEmitter();
  const active = new Map<number, { promise: Promise<void>; abort: AbortController }>();
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  const { register, log } = deps;

  function poke() {
    wake?.();
  }

  async function runJob(job: Job, abort: AbortController): Promise<void> {
    const started = Date.now();
    const heartbeat = setInterval(
      () => {
        if (!register.jobs.extendLease(job.id, owner, leaseMs)) abort.abort(new Error('lease lost'));
      },
      Math.max(1000, leaseMs / 3),
    );
    register.items.setStage(job.itemId, job.stage);
    try {
      if (job.crashes >= maxCrashes) {
        throw new PindaiError('stage_crashed', `stage ${job.stage} stopped its process ${job.crashes} times`);
      }
      const outcome = await handlers[job.stage]({
        itemId: job.itemId,
        deps,
        signal: abort.signal,
        progress: (done, total) =>
          events.emit('progress', {
            itemId: job.itemId,
            stage: job.stage,
            done,
            total,
          } satisfies ProgressEvent),
      });
      finish(job, started, outcome);
    } catch (err) {
      handleError(job, started, coerceError(err));
    } finally {
      clearInterval(heartbeat);
    }
  }

  function finish(job: Job, started: number, outcome: StageOutcome) {
    const durationMs = Date.now() - started;
    const next = NEXT_STAGE[job.stage];
    const kept = register.tx(() => {
      if (!register.jobs.complete(job.id, owner)) return false;
      register.runs.recordRun({
        itemId: job.itemId,
        stage: job.stage,
        attempt: job.attempts,
        worker: owner,
        startedAt: new Date(started).toISOString(),
        durationMs,
        outcome: outcome.outcome,
        detail: outcome.outcome === 'done' ? (outcome.detail ?? null) : outcome.reason,
        errorCode: null,
        errorMessage: null,
      });
      if (next) register.jobs.enqueue(job.itemId, next, job.maxAttempts);
      return true;
    });
    events.emit('stage', {
      itemId: job.itemId,
      stage: job.stage,
      outcome: kept ? outcome.outcome : 'lost',
      durationMs,
    } satisfies StageEvent);
    if (next) poke();
  }

  function handleError(job: Job, started: number, err: Error) {
    const durationMs = Date.now() - started;
    const pe = err instanceof PindaiError ? err : null;
    const code = pe?.code ?? 'internal_error';
    // Unknown errors (disk full, a dependency down) are retried; PindaiErrors say for themselves.
    const retryable = pe ? pe.retryable : true;
    const giveUp = !retryable || job.attempts >= job.maxAttempts;
    const message = readableMessage(deps, job.stage, code, err, pe?.params ?? {});
    register.tx(() => {
      register.runs.recordRun({
        itemId: job.itemId,
        stage: job.stage,
        attempt: job.attempts,
        worker: owner,
        startedAt: new Date(started).toISOString(),
        durationMs,
        outcome: giveUp ? 'failed' : 'retry',
        detail: null,
        errorCode: code,
        errorMessage: err.message.slice(0, 2000),
      });
      if (giveUp) {
        register.jobs.fail(job.id, owner, code, message);
        register.items.markFailed(job.itemId, job.stage, code, message);
        register.runs.event({
          itemId: job.itemId,
          level: 'error',
          code: 'stage_failed',
          params: { stage: job.stage, code },
        });
      } else {
        const backoff = Math.min(300_000, 2000 * 2 ** (job.attempts - 1)) * (0.75 + Math.random() * 0.5);
        register.jobs.retryLater(job.id, owner, Date.now() + backoff, code, err.message.slice(0, 2000));
      }
    });
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

  async function mainLoop() {
    while (running) {
      if (active.size < opts.concurrency) {
        const job = register.jobs.claim(owner, leaseMs);
        if (job) {
          const abort = new AbortController();
          const promise = runJob(job, abort).finally(() => {
            active.delete(job.id);
            poke();
          });
          active.set(job.id, { promise, abort });
          continue;
        }
      }
      const nextAt = register.jobs.nextRunAt();
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
    start() {
      if (running) return;
      const released = register.jobs.releaseDeadLeases(isLeaseOwnerAlive);
      if (released > 0) log.info({ released }, 'released jobs of stopped processes');
      running = true;
      loop = mainLoop();
    },
    /** Stop claiming; wait up to `graceMs` for running stages, then abort them (they are retried later). */
    async stop(graceMs = 30_000) {
      running = false;
      poke();
      await loop;
      const all = Promise.all([...active.values()].map((a) => a.promise));
      const timedOut = await Promise.race([all.then(() => false), sleep(graceMs, true, { ref: false })]);
      if (timedOut) {
        for (const a of active.values()) a.abort.abort(new Error('shutting down'));
        await all;
      }
      retireLeaseOwner(owner);
    },
    /** Resolve when none of `itemIds` (or no job at all) is queued or running. */
    async drain(itemIds?: string[]) {
      while (register.jobs.pendingCount(itemIds) > 0) await sleep(200);
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
