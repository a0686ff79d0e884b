import os from 'node:os';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { type FixityRunDeps, type FixityRunOutcome, FixityStopped, performFixityRun } from './fixity-run.ts';

const DAY_MS = 86_400_000;

export interface FixitySchedule {
  /** Local time of day the night's run is due. */
  at: { hour: number; minute: number };
  /** The rolling share checked per night (1/30: everything once a month). */
  share: { part: number; of: number };
}

export interface FixitySchedulerOptions {
  /** The clock (tests set "it is 02:00"); default: the system's. */
  now?: () => Date;
  /** This process, as the claim names it (default host:pid). */
  owner?: string;
  /** A claimed night's lease, renewed while the run goes on (default 10 min). */
  leaseMs?: number;
  /**
   * How long after the time of day a night may still start (default 6 h): a server down at 02:00
   * but up at 05:00 still checks that night; one started at 14:00 waits for the next.
   */
  windowMs?: number;
  /** Pause after each object hashed (default 5 ms): serving goes first. */
  pauseMs?: number;
  /** How often `start()` looks at the clock (default 1 min). */
  intervalMs?: number;
}

/** The night due at `now`: its claim key and slot, or null outside the window after the time of day. */
export function nightDue(
  now: Date,
  at: FixitySchedule['at'],
  windowMs: number,
): { claimKey: string; slot: number; due: Date } | null {
  const due = new Date(now.getFullYear(), now.getMonth(), now.getDate(), at.hour, at.minute);
  // Before today's time of day: the night due is yesterday's (setDate keeps local time across DST).
  if (due > now) due.setDate(due.getDate() - 1);
  if (now.getTime() - due.getTime() >= windowMs) return null;
  const y = due.getFullYear();
  const m = due.getMonth();
  const d = due.getDate();
  const date = `${y}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  // The slot is the night's day number, as `pindai fixity` without --slot counts days.
  return { claimKey: `nightly:${date}`, slot: Math.round(Date.UTC(y, m, d) / DAY_MS), due };
}

export interface FixityScheduler {
  /**
   * Look at the clock once: when a night is due and no process on the register has claimed it,
   * claim it and run it to its end. Resolves with the run, or null when there was nothing to do.
   */
  tick(): Promise<FixityRunOutcome | null>;
  /** Tick every `intervalMs` (an unref'd timer: it never keeps the process alive). */
  start(): void;
  /** Stop ticking; a run in progress stops after its current object and is left to be taken over. */
  stop(): Promise<void>;
}

/**
 * Fixity on a schedule inside `pindai serve`. Several serve processes on one register each tick;
 * the register's claim (a unique row per night under a lease) lets one of them run the night, and
 * another take over if that process dies mid-run. Objects are hashed one at a time, streamed,
 * with a pause after each.
 */
export function createFixityScheduler(
  deps: FixityRunDeps,
  schedule: FixitySchedule,
  opts: FixitySchedulerOptions = {},
): FixityScheduler {
  const now = opts.now ?? (() => new Date());
  const owner = opts.owner ?? `${os.hostname()}:${process.pid}`;
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  const windowMs = opts.windowMs ?? 6 * 3600_000;
  const pauseMs = opts.pauseMs ?? 5;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<FixityRunOutcome | null> | null = null;
  let stopping = false;

  const runNight = async (): Promise<FixityRunOutcome | null> => {
    const night = nightDue(now(), schedule.at, windowMs);
    if (!night) return null;
    const run = await deps.register.fixity.claim({
      claimKey: night.claimKey,
      slot: night.slot,
      part: schedule.share.part,
      of: schedule.share.of,
      owner,
      leaseMs,
      at: now(),
    });
    if (!run) return null;
    deps.log?.info({ run: run.id, night: night.claimKey, share: schedule.share }, 'fixity run started');
    let renewedAt = performance.now();
    const between = async () => {
      if (stopping) throw new FixityStopped();
      if (performance.now() - renewedAt > leaseMs / 3) {
        renewedAt = performance.now();
        if (!(await deps.register.fixity.renew(run.id, owner, leaseMs, now()))) throw new FixityStopped();
      }
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
      else await yieldToEvents();
    };
    const outcome = await performFixityRun({ ...deps, now }, run, { between });
    // Stopped on purpose: let the next process (or this one restarted) take the night over at once.
    if (outcome.abandoned && stopping) await deps.register.fixity.renew(run.id, owner, 0, now());
    return outcome;
  };

  const tick = async () => {
    if (running || stopping) return null;
    running = runNight().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    tick,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        tick().catch((err: Error) => deps.log?.error({ err: err.message }, 'fixity schedule'));
      }, opts.intervalMs ?? 60_000);
      timer.unref();
      // Also at once: a process started inside the night's window runs it without waiting a minute.
      tick().catch((err: Error) => deps.log?.error({ err: err.message }, 'fixity schedule'));
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => null);
    },
  };
}
