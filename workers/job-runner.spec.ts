import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../core/config.ts';
import { STAGES } from '../core/item.types.ts';
import { parseNomorTemplate } from '../core/nomor-induk.ts';
import { createRegister, type Register } from '../core/register/register.ts';
import { tempDir } from '../test/support/temp-dir.ts';
import { createJobRunner, type JobRunner } from './job-runner.ts';
import type { StageDeps, StageHandler, StageHandlers } from './stage.types.ts';

/**
 * The runner over the real SQLite register, with stages that do nothing but what a case needs:
 * how it keeps its bookkeeping now that every register call is a promise. Register calls that
 * fail or stall are our own port wrapped (as test/support/failing-deps.ts does for store and index).
 */
describe('job runner on the async register', () => {
  const dir = tempDir('pindai-runner-');
  const opened: Register[] = [];
  const runners: JobRunner[] = [];
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop(0);
    for (const reg of opened.splice(0)) await reg.close();
  });

  let n = 0;
  async function registerWithItems(count: number): Promise<{ reg: Register; ids: string[] }> {
    const reg = createRegister(path.join(dir, `register-${++n}.sqlite`));
    opened.push(reg);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = `item-${n}-${i}`;
      await reg.items.insert({
        id,
        title: `Buku ${i}`,
        metadata: {},
        flags: [],
        fingerprint: `fp-${n}-${i}`,
        sourcePath: `/in/${n}/${i}`,
        sourceName: `${n}-${i}`,
        intake: 'ingest',
        operator: null,
      });
      await reg.items.receive(
        id,
        { pageCount: 1, originalBytes: 1, sourceFormat: 'jpeg' },
        { template: parseNomorTemplate('{seq:5}/AM/{year}'), collectionCode: '', maxAttempts: 3 },
      );
      ids.push(id);
    }
    return { reg, ids };
  }

  /** Every stage runs `register`'s handler and stops there (the next stages find nothing to do). */
  function runnerOf(
    reg: Register,
    stage: StageHandler,
    opts: { leaseMs?: number; concurrency?: number } = {},
  ) {
    const logged: { msg: string }[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    const deps = { register: reg, config: { lang: 'id' } as Config, log } as unknown as StageDeps;
    const handlers = Object.fromEntries(
      STAGES.map((s) => [s, s === 'register' ? stage : async () => ({ outcome: 'skipped', reason: 'uji' })]),
    ) as StageHandlers;
    const runner = createJobRunner(deps, handlers, {
      concurrency: opts.concurrency ?? 1,
      leaseMs: opts.leaseMs ?? 60_000,
      pollMs: 20,
    });
    runners.push(runner);
    return { runner, logged };
  }

  const registerJob = async (reg: Register, id: string) =>
    (await reg.jobs.forItem(id)).find((j) => j.stage === 'register');

  it('keeps working when a lease heartbeat cannot reach the register', async () => {
    const { reg, ids } = await registerWithItems(1);
    const unreachable: Register = {
      ...reg,
      jobs: {
        ...reg.jobs,
        extendLease: async () => {
          throw new Error('register unreachable (simulated)');
        },
      },
    };
    // Longer than one heartbeat (every max(1 s, lease / 3)), well inside the lease.
    const { runner, logged } = runnerOf(
      unreachable,
      async () => {
        await new Promise((r) => setTimeout(r, 1300));
        return { outcome: 'done' };
      },
      { leaseMs: 3000 },
    );
    await runner.start();
    await runner.drain([ids[0] as string]);
    expect((await registerJob(reg, ids[0] as string))?.status).toBe('done');
    expect(logged.map((l) => l.msg)).toContain('lease heartbeat failed');
  });

  it('keeps a stage going when its crash count cannot be reset', async () => {
    const { reg, ids } = await registerWithItems(1);
    // The job was running in a process that is gone: starting the runner releases it, one crash.
    const dead = `${os.hostname()}:${process.pid}:deadbeef`;
    expect((await reg.jobs.claim(dead, 60_000))?.itemId).toBe(ids[0]);
    const failing: Register = {
      ...reg,
      jobs: {
        ...reg.jobs,
        resetCrashes: async () => {
          throw new Error('register unreachable (simulated)');
        },
      },
    };
    const { runner, logged } = runnerOf(failing, async ({ progress }) => {
      progress(1, 1, true);
      await new Promise((r) => setTimeout(r, 50));
      return { outcome: 'done' };
    });
    await runner.start();
    await runner.drain([ids[0] as string]);
    const job = await registerJob(reg, ids[0] as string);
    expect(job).toMatchObject({ status: 'done', crashes: 1 });
    expect(logged.map((l) => l.msg)).toContain('crash count not reset');
  });

  it('writes the stage’s page progress on its job row as it goes, the last count included', async () => {
    const { reg, ids } = await registerWithItems(1);
    /** The running row's progress once it reads `done` (another process's queue page sees this). */
    const rowShows = async (done: number) => {
      for (let i = 0; i < 200; i++) {
        const row = (await reg.queue.running())[0];
        if (row?.progressDone === done) return [row.progressDone, row.progressTotal];
        await new Promise((r) => setTimeout(r, 20));
      }
      return (await reg.queue.running()).map((r) => [r.progressDone, r.progressTotal]);
    };
    const seen: unknown[] = [];
    const { runner } = runnerOf(reg, async ({ progress }) => {
      progress(1, 12, true);
      seen.push(await rowShows(1));
      // Pages faster than the writes: the row still ends at the last count, not a page behind.
      progress(2, 12);
      progress(3, 12, true);
      seen.push(await rowShows(3));
      return { outcome: 'done' };
    });
    await runner.start();
    await runner.drain([ids[0] as string]);
    expect(seen).toEqual([
      [1, 12],
      [3, 12],
    ]);
  });

  it('starts one claiming loop however often start() is called at once', async () => {
    const { reg, ids } = await registerWithItems(2);
    let running = 0;
    let most = 0;
    let release: () => void = () => {};
    const released = new Promise<void>((r) => {
      release = r;
    });
    const { runner } = runnerOf(reg, async () => {
      most = Math.max(most, ++running);
      await released;
      running--;
      return { outcome: 'done' };
    });
    await Promise.all([runner.start(), runner.start()]);
    // Time for a second loop, were there one, to claim the second job (it polls every 20 ms).
    while (running === 0) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 300));
    release();
    await runner.drain(ids);
    expect(most).toBe(1);
  });

  it('hands a job back, attempt unspent and never run, when stop() comes while it is being claimed', async () => {
    const { reg, ids } = await registerWithItems(1);
    let claiming: () => void = () => {};
    const claimStarted = new Promise<void>((r) => {
      claiming = r;
    });
    let open: () => void = () => {};
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const slow: Register = {
      ...reg,
      jobs: {
        ...reg.jobs,
        claim: async (owner, leaseMs) => {
          claiming();
          await gate;
          return reg.jobs.claim(owner, leaseMs);
        },
      },
    };
    let ran = 0;
    const { runner } = runnerOf(slow, async () => {
      ran++;
      return { outcome: 'done' };
    });
    await runner.start();
    await claimStarted;
    const stopped = runner.stop(1000);
    open();
    await stopped;
    expect(ran).toBe(0);
    expect(await registerJob(reg, ids[0] as string)).toMatchObject({
      status: 'queued',
      attempts: 0,
      leaseOwner: null,
    });
  });

  it('cleans one item at a time in a lane of its own, and OCRs the first while it cleans the next', async () => {
    const run = async (cleanLane: boolean) => {
      const { reg, ids } = await registerWithItems(3);
      const log = pino({ level: 'silent' });
      const deps = { register: reg, config: { lang: 'id' } as Config, log } as unknown as StageDeps;
      const spans: { stage: string; itemId: string; from: number; to: number }[] = [];
      const timed =
        (stage: string) =>
        async ({ itemId }: { itemId: string }) => {
          const from = performance.now();
          await new Promise((r) => setTimeout(r, 150));
          spans.push({ stage, itemId, from, to: performance.now() });
          return { outcome: 'done' as const };
        };
      const done = async () => ({ outcome: 'done' as const });
      const handlers: StageHandlers = {
        register: done,
        clean: timed('clean'),
        ocr: timed('ocr'),
        pdf: done,
        publish: done,
      };
      const runner = createJobRunner(deps, handlers, { concurrency: 2, pollMs: 20, cleanLane });
      runners.push(runner);
      await runner.start();
      await runner.drain(ids);
      const overlap = (a: (typeof spans)[number], b: (typeof spans)[number]) =>
        a.from < b.to && b.from < a.to;
      const cleans = spans.filter((x) => x.stage === 'clean');
      const span = (stage: string, id: string | undefined) =>
        spans.find((x) => x.stage === stage && x.itemId === id) as (typeof spans)[number];
      return {
        cleansAtOnce: cleans.some((a) => cleans.some((b) => a !== b && overlap(a, b))),
        firstOcrBesideSecondClean: overlap(span('ocr', ids[0]), span('clean', ids[1])),
      };
    };
    expect(await run(true)).toEqual({ cleansAtOnce: false, firstOcrBesideSecondClean: true });
    // One shared lane: the first two cleans take both slots, and the first OCR waits for them.
    expect(await run(false)).toEqual({ cleansAtOnce: true, firstOcrBesideSecondClean: false });
  });
});
