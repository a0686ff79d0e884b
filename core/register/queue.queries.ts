import type { ItemStatus, Stage } from '../item.types.ts';
import type { Db } from './open-register.ts';

export interface QueueEntry {
  itemId: string;
  title: string;
  nomorInduk: string | null;
  operator: string | null;
  status: ItemStatus;
  pages: number;
  stage: Stage;
  jobStatus: 'queued' | 'running' | 'failed' | 'done';
  attempts: number;
  runAt: number;
  lastError: string | null;
  updatedAt: string;
  errorMessage: string | null;
  /** A running stage's pages done of total, as its worker last wrote them; null before the first page. */
  progressDone: number | null;
  progressTotal: number | null;
}

const SELECT = `SELECT i.id AS itemId, i.title, i.nomor_induk AS nomorInduk, i.operator, i.status, i.page_count AS pages,
  j.stage, j.status AS jobStatus, j.attempts, j.run_at AS runAt, j.last_error AS lastError, i.updated_at AS updatedAt,
  i.error_message AS errorMessage, j.progress_done AS progressDone, j.progress_total AS progressTotal
  FROM jobs j JOIN items i ON i.id = j.item_id`;

/** The live queue: jobs running and waiting, items failed recently, items just published. */
export function createQueueQueries(db: Db) {
  const op = (operator?: string) => (operator ? 'AND i.operator = @operator' : '');
  return {
    running(operator?: string): QueueEntry[] {
      return db
        .prepare(`${SELECT} WHERE j.status = 'running' ${op(operator)} ORDER BY j.updated_at`)
        .all({ operator }) as QueueEntry[];
    },
    waiting(operator?: string, limit = 200): QueueEntry[] {
      return db
        .prepare(`${SELECT} WHERE j.status = 'queued' ${op(operator)} ORDER BY j.run_at, j.id LIMIT @limit`)
        .all({ operator, limit }) as QueueEntry[];
    },
    failedSince(sinceIso: string, operator?: string): QueueEntry[] {
      return db
        .prepare(
          `${SELECT} WHERE j.status = 'failed' AND i.status = 'failed' AND i.updated_at >= @since ${op(operator)}
           ORDER BY i.updated_at DESC LIMIT 200`,
        )
        .all({ since: sinceIso, operator }) as QueueEntry[];
    },
    recentlyAvailable(operator?: string, limit = 10): QueueEntry[] {
      return db
        .prepare(
          `${SELECT} WHERE j.stage = 'publish' AND j.status = 'done' AND i.status = 'available' ${op(operator)}
           ORDER BY i.available_at DESC LIMIT @limit`,
        )
        .all({ operator, limit }) as QueueEntry[];
    },
  };
}
