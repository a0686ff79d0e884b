import { describe, expect, it } from 'vitest';
import { type Awaitable, settle } from './meili-tasks.ts';

// The task outcomes Meilisearch reports, as its API returns them; the adapter's contract suite
// exercises real tasks when PINDAI_MEILI_URL is set.
const task = (status: string, error: { message: string; code: string } | null = null): Awaitable => ({
  waitTask: async () => ({ uid: 7, status, type: 'documentAdditionOrUpdate', error }),
});

describe('settle', () => {
  it('accepts a succeeded task', async () => {
    await expect(settle(task('succeeded'), 'add')).resolves.toBeUndefined();
  });

  it('turns a failed or canceled task into an error with its reason', async () => {
    const failed = task('failed', {
      message: 'Document identifier `a/b` is invalid',
      code: 'invalid_document_id',
    });
    await expect(settle(failed, 'add pages')).rejects.toMatchObject({
      code: 'SEARCH_TASK_FAILED',
      message: expect.stringMatching(/invalid_document_id|identifier `a\/b` is invalid/),
    });
    await expect(settle(task('canceled'), 'add')).rejects.toMatchObject({ code: 'SEARCH_TASK_FAILED' });
  });

  it('lets listed error codes pass', async () => {
    const exists = task('failed', { message: 'Index already exists', code: 'index_already_exists' });
    await expect(settle(exists, 'create', ['index_already_exists'])).resolves.toBeUndefined();
  });

  it('reports a task that never finishes as retryable', async () => {
    const stuck: Awaitable = {
      waitTask: async () => {
        throw new Error('timeout of 120000ms has exceeded');
      },
    };
    await expect(settle(stuck, 'add')).rejects.toMatchObject({ code: 'SEARCH_UNAVAILABLE', retryable: true });
  });
});
