import type { Item, ItemFlag } from '../item.types.ts';
import { type Db, inTransaction } from './open-register.ts';
import type { RunQueries } from './runs.queries.ts';

/** A batch intake refused: it has no item, only this row (and its folder in gagal/). */
export interface RejectedBatch {
  id: number;
  /** When it was refused (ISO 8601). */
  at: string;
  /** The batch folder's name, as on disk. */
  batchName: string;
  sourcePath: string;
  intake: Item['intake'];
  /** Who sent it, where known (uploads; a folder dropped in the inbox has none). */
  operator: string | null;
  /** The reasons of its ALASAN.txt as catalogue codes + params: render with `messageOf`. */
  problems: ItemFlag[];
  /** Names of the entries in the folder (at most MAX_FILES), and how many there were. */
  files: string[];
  fileCount: number;
  /** Where the folder went (inbox/gagal/…), or null when it was left in place. */
  movedTo: string | null;
}

export type NewRejection = Omit<RejectedBatch, 'id' | 'at'> & { at?: string };

export interface RejectionFilter {
  /** Refused at or after this instant (ISO 8601). */
  since?: string;
  /** Inclusive day bounds, YYYY-MM-DD. */
  from?: string;
  to?: string;
  /** Sent by exactly this operator. */
  operator?: string;
  /** What this operator may call theirs: sent by them, or by nobody known (a watched folder). */
  visibleTo?: string;
  /** Words in the batch name. */
  q?: string;
}

/** A folder of thousands of pages need not put every name in the register. */
export const MAX_FILES = 200;

interface Row {
  id: number;
  at: string;
  batch_name: string;
  source_path: string;
  intake: Item['intake'];
  operator: string | null;
  problems: string;
  files: string;
  file_count: number;
  moved_to: string | null;
}

export const toRejection = (r: Row): RejectedBatch => ({
  id: r.id,
  at: r.at,
  batchName: r.batch_name,
  sourcePath: r.source_path,
  intake: r.intake,
  operator: r.operator,
  problems: JSON.parse(r.problems) as ItemFlag[],
  files: JSON.parse(r.files) as string[],
  fileCount: r.file_count,
  movedTo: r.moved_to,
});

function whereOf(f: RejectionFilter): { sql: string; params: Record<string, unknown> } {
  const c: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.since) {
    c.push('at >= @since');
    params.since = f.since;
  }
  if (f.from) {
    c.push('at >= @from');
    params.from = `${f.from}T00:00:00`;
  }
  if (f.to) {
    c.push('at < @to');
    const d = new Date(`${f.to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    params.to = d.toISOString().slice(0, 19);
  }
  if (f.operator) {
    c.push('operator = @operator');
    params.operator = f.operator;
  }
  if (f.visibleTo) {
    c.push('(operator = @visibleTo OR operator IS NULL)');
    params.visibleTo = f.visibleTo;
  }
  if (f.q) {
    c.push(`batch_name LIKE @q ESCAPE '\\'`);
    params.q = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  }
  return { sql: c.length ? `WHERE ${c.join(' AND ')}` : '', params };
}

/** Batches intake refused: written by `acceptBatch`'s one reject path, read by /staf. */
export function createRejectionQueries(db: Db, deps: { runs: RunQueries }) {
  return {
    /** Record a refused batch, and a `batch_rejected` event naming its reasons, in one transaction. */
    record(r: NewRejection): RejectedBatch {
      return inTransaction(db, () => {
        const row = db
          .prepare<Record<string, unknown>, Row>(
            `INSERT INTO rejected_batches (at, batch_name, source_path, intake, operator, problems, files, file_count, moved_to)
           VALUES (@at, @batchName, @sourcePath, @intake, @operator, @problems, @files, @fileCount, @movedTo)
           RETURNING *`,
          )
          .get({
            ...r,
            at: r.at ?? new Date().toISOString(),
            problems: JSON.stringify(r.problems),
            files: JSON.stringify(r.files.slice(0, MAX_FILES)),
          }) as Row;
        deps.runs.event({
          itemId: null,
          level: 'warn',
          code: 'batch_rejected',
          params: { batch: r.batchName, reasons: r.problems.map((p) => p.code).join(',') },
        });
        return toRejection(row);
      });
    },
    /** Newest first. */
    list(f: RejectionFilter = {}, page: { limit?: number; offset?: number } = {}): RejectedBatch[] {
      const w = whereOf(f);
      return db
        .prepare<Record<string, unknown>, Row>(
          `SELECT * FROM rejected_batches ${w.sql} ORDER BY at DESC, id DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ ...w.params, limit: page.limit ?? -1, offset: page.offset ?? 0 })
        .map(toRejection);
    },
    count(f: RejectionFilter = {}): number {
      const w = whereOf(f);
      return (
        db.prepare(`SELECT COUNT(*) AS n FROM rejected_batches ${w.sql}`).get(w.params) as { n: number }
      ).n;
    },
  };
}

export type RejectionQueries = ReturnType<typeof createRejectionQueries>;
