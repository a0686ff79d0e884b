import type { Item, ItemFlag, ItemStatus, Stage } from '../item.types.ts';
import type { ItemMetadata } from '../metadata.schema.ts';
import type { NomorTemplate } from '../nomor-induk.ts';
import type { JobQueries } from './jobs.queries.ts';
import { type Db, inTransaction } from './open-register.ts';
import type { RunQueries } from './runs.queries.ts';
import { STEP_ONCE_SQL } from './steps.queries.ts';

export interface ItemRow {
  id: string;
  nomor_induk: string | null;
  source_nomor_induk: string | null;
  title: string;
  metadata: string;
  flags: string;
  fingerprint: string;
  source_path: string;
  source_name: string;
  intake: Item['intake'];
  operator: string | null;
  status: ItemStatus;
  stage: Stage | null;
  error_code: string | null;
  error_message: string | null;
  page_count: number;
  source_format: string | null;
  original_bytes: number;
  pdf_key: string | null;
  pdf_bytes: number | null;
  disposed_at: string | null;
  created_at: string;
  updated_at: string;
  registered_at: string | null;
  available_at: string | null;
}

export function toItem(r: ItemRow): Item {
  return {
    id: r.id,
    nomorInduk: r.nomor_induk,
    sourceNomorInduk: r.source_nomor_induk,
    title: r.title,
    metadata: JSON.parse(r.metadata) as ItemMetadata,
    flags: JSON.parse(r.flags) as ItemFlag[],
    fingerprint: r.fingerprint,
    sourcePath: r.source_path,
    sourceName: r.source_name,
    intake: r.intake,
    operator: r.operator,
    status: r.status,
    stage: r.stage,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    pageCount: r.page_count,
    sourceFormat: r.source_format,
    originalBytes: r.original_bytes,
    pdfKey: r.pdf_key,
    pdfBytes: r.pdf_bytes,
    disposedAt: r.disposed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    registeredAt: r.registered_at,
    availableAt: r.available_at,
  };
}

export interface NewItem {
  id: string;
  title: string;
  metadata: ItemMetadata;
  flags: ItemFlag[];
  fingerprint: string;
  sourcePath: string;
  sourceName: string;
  intake: Item['intake'];
  operator: string | null;
}

const now = () => new Date().toISOString();

/** What `findOrInsert` found: the batch's own item, another with the same pages, or the new one. */
export type FoundItem =
  | { own: Item; other: Item | undefined; inserted?: undefined; nameReused?: undefined }
  | { own: undefined; other: Item; inserted?: undefined; nameReused?: undefined }
  | { own: undefined; other: undefined; inserted: Item; nameReused: ItemFlag | undefined };

export function createItemQueries(db: Db, deps: { jobs: JobQueries; runs: RunQueries }) {
  const getStmt = db.prepare<[string], ItemRow>('SELECT * FROM items WHERE id = ?');
  return {
    get(id: string): Item | null {
      const r = getStmt.get(id);
      return r ? toItem(r) : null;
    },
    byNomorInduk(nomorInduk: string): Item | null {
      const r = db.prepare<[string], ItemRow>('SELECT * FROM items WHERE nomor_induk = ?').get(nomorInduk);
      return r ? toItem(r) : null;
    },
    byFingerprint(fingerprint: string): Item[] {
      return db
        .prepare<[string], ItemRow>('SELECT * FROM items WHERE fingerprint = ? ORDER BY created_at')
        .all(fingerprint)
        .map(toItem);
    },
    /** Items received from this exact folder path, newest first. */
    bySourcePath(sourcePath: string): Item[] {
      return db
        .prepare<[string], ItemRow>('SELECT * FROM items WHERE source_path = ? ORDER BY created_at DESC')
        .all(sourcePath)
        .map(toItem);
    },
    /** The series and running number behind the item's nomor induk (null before registration). */
    numberingOf(id: string): { series: string; seq: number } | null {
      const r = db
        .prepare<[string], { series: string | null; seq: number | null }>(
          'SELECT series, seq FROM items WHERE id = ?',
        )
        .get(id);
      return r?.series != null && r.seq != null ? { series: r.series, seq: r.seq } : null;
    },
    /** Items whose batch folder had this exact name, newest first. */
    bySourceName(sourceName: string): Item[] {
      return db
        .prepare<[string], ItemRow>('SELECT * FROM items WHERE source_name = ? ORDER BY created_at DESC')
        .all(sourceName)
        .map(toItem);
    },
    list(opts: { status?: ItemStatus; limit?: number; offset?: number } = {}): Item[] {
      const where = opts.status ? 'WHERE status = @status' : '';
      return db
        .prepare<Record<string, unknown>, ItemRow>(
          `SELECT * FROM items ${where} ORDER BY created_at, id LIMIT @limit OFFSET @offset`,
        )
        .all({ status: opts.status, limit: opts.limit ?? -1, offset: opts.offset ?? 0 })
        .map(toItem);
    },
    insert(it: NewItem): Item {
      const t = now();
      db.prepare(
        `INSERT INTO items (id, title, metadata, flags, fingerprint, source_path, source_name, intake, operator,
           source_nomor_induk, status, created_at, updated_at)
         VALUES (@id, @title, @metadata, @flags, @fingerprint, @sourcePath, @sourceName, @intake, @operator,
           @sourceNomorInduk, 'receiving', @t, @t)`,
      ).run({
        ...it,
        metadata: JSON.stringify(it.metadata),
        flags: JSON.stringify(it.flags),
        sourceNomorInduk: it.metadata.sourceNomorInduk ?? it.metadata.barcode ?? null,
        t,
      });
      return this.get(it.id) as Item;
    },
    /**
     * Find-or-insert a batch's item in one IMMEDIATE transaction, so concurrent acceptances of the
     * same pages (another process, repeated uploads) see each other's item and never register the
     * batch twice. Items with the same fingerprint: `own` is the one received from this very folder
     * and not yet disposed of, `other` any other. With neither, the item is inserted; if a batch of
     * the same folder name arrived less than `sameNameWithinMs` ago, `nameReused(earlier)` is added
     * to its flags (and returned as `nameReused`).
     */
    findOrInsert(
      it: NewItem,
      opts: { sameNameWithinMs: number; nameReused: (earlier: Item) => ItemFlag },
    ): FoundItem {
      return inTransaction(db, (): FoundItem => {
        const previous = this.byFingerprint(it.fingerprint);
        const own = previous.find((p) => p.sourcePath === it.sourcePath && p.disposedAt === null);
        const other = previous.find((p) => p !== own);
        if (own) return { own, other };
        if (other) return { own: undefined, other };
        const earlier = this.bySourceName(it.sourceName).find(
          (p) => Date.now() - Date.parse(p.createdAt) < opts.sameNameWithinMs,
        );
        const nameReused = earlier ? opts.nameReused(earlier) : undefined;
        const inserted = this.insert(nameReused ? { ...it, flags: [...it.flags, nameReused] } : it);
        return { own: undefined, other: undefined, inserted, nameReused };
      });
    },
    /**
     * Originals stored and verified: record the page totals, give the item its nomor induk and hand
     * it to the workers (a `register` job, an `accepted` event), all in one transaction: no received
     * item lacks its number, and none waits without a job. Returns the nomor induk.
     */
    receive(
      id: string,
      totals: { pageCount: number; originalBytes: number; sourceFormat: string },
      o: {
        template: NomorTemplate;
        collectionCode: string;
        maxAttempts: number;
        /** When the batch arrived in the inbox (ISO); default: when the item was inserted. */
        arrivedAt?: string;
      },
    ): string {
      return inTransaction(db, () => {
        this.markReceived(id, totals);
        const nomor = this.allocateNomorInduk(id, o.template, o.collectionCode);
        // The human steps so far: the batch arrived (in the inbox, or when intake began reading it)
        // and was accepted.
        const it = db
          .prepare<[string], { created_at: string; operator: string | null }>(
            'SELECT created_at, operator FROM items WHERE id = ?',
          )
          .get(id);
        const step = db.prepare(STEP_ONCE_SQL);
        step.run({
          itemId: id,
          step: 'arrived',
          at: o.arrivedAt ?? it?.created_at ?? now(),
          username: it?.operator ?? null,
        });
        step.run({ itemId: id, step: 'accepted', at: now(), username: it?.operator ?? null });
        deps.jobs.enqueue(id, 'register', o.maxAttempts);
        deps.runs.event({ itemId: id, level: 'info', code: 'accepted', params: { pages: totals.pageCount } });
        return nomor;
      });
    },
    /** Originals stored and verified: record the page totals (`receive` does this and more). */
    markReceived(
      id: string,
      totals: { pageCount: number; originalBytes: number; sourceFormat: string },
    ): void {
      db.prepare(
        `UPDATE items SET status = 'received', page_count = @pageCount, original_bytes = @originalBytes,
           source_format = @sourceFormat, updated_at = @t WHERE id = @id AND status = 'receiving'`,
      ).run({ id, ...totals, t: now() });
    },
    markDisposed(id: string): void {
      db.prepare('UPDATE items SET disposed_at = ?, updated_at = ? WHERE id = ?').run(now(), now(), id);
    },
    setStage(id: string, stage: Stage): void {
      db.prepare(
        `UPDATE items SET stage = @stage, updated_at = @t,
           status = CASE WHEN status IN ('received', 'failed') THEN 'processing' ELSE status END,
           error_code = CASE WHEN status = 'failed' THEN NULL ELSE error_code END,
           error_message = CASE WHEN status = 'failed' THEN NULL ELSE error_message END
         WHERE id = @id`,
      ).run({ id, stage, t: now() });
    },
    markFailed(id: string, stage: Stage | null, code: string, message: string): void {
      db.prepare(
        `UPDATE items SET status = 'failed', stage = COALESCE(@stage, stage), error_code = @code,
           error_message = @message, updated_at = @t WHERE id = @id`,
      ).run({ id, stage, code, message, t: now() });
    },
    /** Done: available, and published (a step) unless it is held for an access review. */
    markAvailable(id: string): void {
      inTransaction(db, () => {
        const t = now();
        db.prepare(
          `UPDATE items SET status = 'available', error_code = NULL, error_message = NULL,
             available_at = COALESCE(available_at, @t), updated_at = @t WHERE id = @id`,
        ).run({ id, t });
        const held = db
          .prepare<[string], { held: number }>(
            `SELECT json_extract(metadata, '$.rights') = 'review' AS held FROM items WHERE id = ?`,
          )
          .get(id);
        if (held && !held.held)
          db.prepare(STEP_ONCE_SQL).run({ itemId: id, step: 'published', at: t, username: null });
      });
    },
    setPdf(id: string, key: string, bytes: number): void {
      db.prepare('UPDATE items SET pdf_key = ?, pdf_bytes = ?, updated_at = ? WHERE id = ?').run(
        key,
        bytes,
        now(),
        id,
      );
    },
    addFlag(id: string, flag: ItemFlag): void {
      const it = this.get(id);
      if (!it || it.flags.some((f) => f.code === flag.code)) return;
      db.prepare('UPDATE items SET flags = ?, updated_at = ? WHERE id = ?').run(
        JSON.stringify([...it.flags, flag]),
        now(),
        id,
      );
    },
    /** Add a flag, or replace the item's flag of the same code (e.g. a page list that grew). */
    setFlag(id: string, flag: ItemFlag): void {
      const it = this.get(id);
      if (!it) return;
      const flags = [...it.flags.filter((f) => f.code !== flag.code), flag];
      db.prepare('UPDATE items SET flags = ?, updated_at = ? WHERE id = ?').run(
        JSON.stringify(flags),
        now(),
        id,
      );
    },
    /**
     * Give the item its nomor induk alih media, once. The counter update and the assignment share
     * one IMMEDIATE transaction under UNIQUE constraints, so numbers are consecutive per series,
     * never duplicated and never reused — whatever crashes around it.
     */
    allocateNomorInduk(id: string, template: NomorTemplate, code: string, at = new Date()): string {
      return db
        .transaction(() => {
          const row = db
            .prepare<[string], { nomor_induk: string | null }>('SELECT nomor_induk FROM items WHERE id = ?')
            .get(id);
          if (!row) throw new Error(`item ${id} not found`);
          if (row.nomor_induk) return row.nomor_induk;
          const series = template.series(at, code);
          const seq =
            (db
              .prepare<[string], { last_seq: number }>('SELECT last_seq FROM counters WHERE series = ?')
              .get(series)?.last_seq ?? 0) + 1;
          db.prepare(
            'INSERT INTO counters (series, last_seq) VALUES (?, ?) ON CONFLICT (series) DO UPDATE SET last_seq = excluded.last_seq',
          ).run(series, seq);
          const nomor = template.render(seq, at, code);
          db.prepare(
            'UPDATE items SET nomor_induk = ?, series = ?, seq = ?, registered_at = ?, updated_at = ? WHERE id = ?',
          ).run(nomor, series, seq, at.toISOString(), now(), id);
          return nomor;
        })
        .immediate();
    },
  };
}

export type ItemQueries = ReturnType<typeof createItemQueries>;
