import { describe, expect, it } from 'vitest';
import { createCutQueue, QueueFullError } from './cut-queue.ts';

/** A task that runs until released, recording that it started. */
function held(started: string[], name: string) {
  let release = () => {};
  const done = new Promise<void>((r) => {
    release = r;
  });
  return {
    task: async () => {
      started.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

describe('createCutQueue', () => {
  it('runs up to the concurrency, queues up to maxQueue and refuses the rest at once', async () => {
    const q = createCutQueue({ concurrency: 1, maxQueue: 1 });
    const started: string[] = [];
    const a = held(started, 'a');
    const b = held(started, 'b');
    const pa = q.run(a.task, new AbortController().signal);
    const pb = q.run(b.task, new AbortController().signal);
    await expect(q.run(async () => 'c', new AbortController().signal)).rejects.toBeInstanceOf(QueueFullError);
    expect(q.stats()).toEqual({ running: 1, waiting: 1 });
    a.release();
    expect(await pa).toBe('a');
    await Promise.resolve();
    b.release();
    expect(await pb).toBe('b');
    expect(started).toEqual(['a', 'b']);
    expect(q.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it('drops a waiting task whose signal aborts: it never starts and frees its place', async () => {
    const q = createCutQueue({ concurrency: 1, maxQueue: 1 });
    const started: string[] = [];
    const a = held(started, 'a');
    const pa = q.run(a.task, new AbortController().signal);
    const gone = new AbortController();
    const pb = q.run(async () => started.push('b'), gone.signal);
    gone.abort(new Error('client left'));
    await expect(pb).rejects.toThrow('client left');
    expect(q.stats()).toEqual({ running: 1, waiting: 0 });
    // Its place in the queue is free again.
    const pc = q.run(async () => 'c', new AbortController().signal);
    a.release();
    expect([await pa, await pc]).toEqual(['a', 'c']);
    expect(started).toEqual(['a']);
    // An already aborted signal never even queues.
    await expect(q.run(async () => 'd', AbortSignal.abort())).rejects.toThrow();
    expect(q.stats()).toEqual({ running: 0, waiting: 0 });
  });
});
