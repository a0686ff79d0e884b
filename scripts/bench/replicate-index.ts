/**
 * Builds a large bench index quickly: `copies` × the pages of an already built smaller index,
 * inserted with plain SQL (FTS5 tokenises each copy; no JS text generation). Term statistics
 * scale as in a real collection (a word on 5% of pages is on 5% of the copy); rowids of each
 * copy follow the previous one, so "newest rows" mean what they mean in the adapter.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export function replicateIndex(src: string, dst: string, copies: number, log: (s: string) => void): void {
  const tmp = `${dst}.building`;
  const tag = path
    .basename(dst)
    .replace(/\.sqlite$/, '')
    .replace(/[^a-z0-9]/gi, '');
  fs.rmSync(tmp, { force: true });
  fs.copyFileSync(src, tmp);
  const db = new Database(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.prepare('ATTACH DATABASE ? AS src').run(src);
  // No incremental merging while copying (it rewrites segments again and again); one optimize
  // at the end leaves the same single-segment index the adapter's merges converge to.
  db.exec("INSERT INTO docs (docs, rank) VALUES ('automerge', 0)");
  db.exec("INSERT INTO docs (docs, rank) VALUES ('crisismerge', 64)");
  const offset = (db.prepare('SELECT max(row_id) AS m FROM src.doc_rows').get() as { m: number }).m;
  const t0 = performance.now();
  for (let k = 1; k < copies; k++) {
    // Unique per target file: a 1M copy of a 100k index that is itself made of copies must not
    // give a copy the id an earlier copy already has.
    const suffix = `-${tag}c${k}`;
    const shift = k * offset;
    db.transaction(() => {
      db.prepare(
        `INSERT INTO items (item_id, nomor_induk, title, title_sort, creator, year, type, collection, rights,
             page_count, published_at)
           SELECT item_id || @s, nomor_induk || @s, title, title_sort, creator, year, type, collection,
             rights, page_count, published_at FROM src.items`,
      ).run({ s: suffix });
      db.prepare('INSERT INTO item_languages SELECT item_id || @s, language FROM src.item_languages').run({
        s: suffix,
      });
      db.prepare('INSERT INTO doc_rows SELECT row_id + @d, item_id || @s, page FROM src.doc_rows').run({
        s: suffix,
        d: shift,
      });
      db.prepare(
        'INSERT INTO docs (rowid, title, meta, body, fold, stem) SELECT rowid + @d, title, meta, body, fold, stem FROM src.docs',
      ).run({
        d: shift,
      });
    })();
    log(`  copy ${k + 1}/${copies} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const t1 = performance.now();
  db.exec("INSERT INTO docs (docs) VALUES ('optimize')");
  db.exec("INSERT INTO docs (docs, rank) VALUES ('automerge', 4)");
  db.exec("INSERT INTO docs (docs, rank) VALUES ('crisismerge', 16)");
  log(`  merged in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  db.prepare('DETACH DATABASE src').run();
  db.close();
  fs.renameSync(tmp, dst);
}
