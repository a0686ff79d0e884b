/**
 * A small bounded queue for expensive work (IIIF cuts): at most `concurrency` tasks run, at most
 * `maxQueue` wait, and a newcomer beyond that is refused at once so the caller can answer 503.
 * A waiting task whose signal aborts (its client left) leaves the queue and never starts.
 */

export class QueueFullError extends Error {
  constructor() {
    super('cut queue full');
    this.name = 'QueueFullError';
  }
}

export interface CutQueue {
  /**
   * Run `task` when a slot is free. Rejects with QueueFullError, without waiting, when `maxQueue`
   * tasks already wait; with the signal's reason when it aborts before the task starts.
   */
  run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T>;
  stats(): { running: number; waiting: number };
}

export function createCutQueue(opts: { concurrency: number; maxQueue: number }): CutQueue {
  let running = 0;
  const waiting: Array<() => void> = [];

  const release = () => {
    const next = waiting.shift();
    // The slot passes straight to the next waiter, so `running` stays as it is.
    if (next) next();
    else running--;
  };

  const slot = (signal: AbortSignal): Promise<void> => {
    signal.throwIfAborted();
    if (running < opts.concurrency) {
      running++;
      return Promise.resolve();
    }
    if (waiting.length >= opts.maxQueue) return Promise.reject(new QueueFullError());
    return new Promise<void>((resolve, reject) => {
      const start = () => {
        signal.removeEventListener('abort', leave);
        resolve();
      };
      const leave = () => {
        const i = waiting.indexOf(start);
        if (i >= 0) waiting.splice(i, 1);
        reject(signal.reason);
      };
      waiting.push(start);
      signal.addEventListener('abort', leave, { once: true });
    });
  };

  return {
    async run(task, signal) {
      await slot(signal);
      try {
        signal.throwIfAborted();
        return await task();
      } finally {
        release();
      }
    },
    stats: () => ({ running, waiting: waiting.length }),
  };
}
