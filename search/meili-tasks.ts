import { PindaiError } from '../core/errors.ts';

/** What this module needs from the client's EnqueuedTaskPromise (kept structural on purpose). */
export interface Awaitable {
  waitTask(opts?: { timeout?: number; interval?: number }): Promise<{
    uid: number;
    status: string;
    type: string;
    error: { message: string; code: string } | null;
  }>;
}

/** Long enough for a whole book's pages on a busy server; the caller's job can retry after. */
export const TASK_TIMEOUT_MS = 120_000;

/**
 * Waits for a Meilisearch task and turns anything but `succeeded` into an error. Meilisearch
 * answers every write with HTTP 202 "enqueued"; the real outcome (bad filter, bad id, disk
 * full) only shows on the task, so a write is done when its task says so and not before.
 * `allow` lists error codes that count as success (e.g. index_already_exists).
 */
export async function settle(task: Awaitable, what: string, allow: string[] = []): Promise<void> {
  let done: Awaited<ReturnType<Awaitable['waitTask']>>;
  try {
    done = await task.waitTask({ timeout: TASK_TIMEOUT_MS, interval: 50 });
  } catch (err) {
    throw new PindaiError('SEARCH_UNAVAILABLE', `Meilisearch: ${what}: ${(err as Error).message}`, {
      retryable: true,
      cause: err,
    });
  }
  if (done.status === 'succeeded') return;
  if (done.error && allow.includes(done.error.code)) return;
  throw new PindaiError(
    'SEARCH_TASK_FAILED',
    `Meilisearch task ${done.uid} (${done.type}) ${done.status}: ${what}: ${done.error?.message ?? 'no reason given'}`,
    { params: { task: done.uid, code: done.error?.code ?? done.status } },
  );
}
