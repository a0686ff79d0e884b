import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { createFsObjectStore } from '../../core/store/fs.object-store.ts';
import { openCatalog } from '../../scripts/open-catalog.ts';
import { SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { writeBatch } from '../support/fixture-batches.ts';
import { BIN } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const KILLS = Number(process.env.PINDAI_KILLS ?? 20);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Moment = 'intake' | 'register' | 'clean' | 'ocr' | 'pdf' | 'publish';
const TARGETS: Moment[] = ['intake', 'clean', 'ocr', 'pdf', 'publish', 'register'];

interface Original {
  batch: string;
  file: string;
  sha256: string;
}

/**
 * `pindai serve` on the real pipeline (watched inbox, sharp, tesseract.js, pdf-lib, SQLite, files)
 * is SIGKILLed at KILLS moments — half at random times, half the instant a chosen stage is seen
 * running — and restarted each time, while batches keep arriving. Throughout, a sampler checks
 * that no original is ever absent from both the inbox and the verified store. At the end every
 * item is available and register, object listing, manifests and index agree exactly.
 */
describe('kill storm: SIGKILL pindai serve again and again', () => {
  it('ends with every item available and everything in agreement', async () => {
    const started = Date.now();
    const root = tempDir();
    const data = path.join(root, 'data');
    const inbox = path.join(data, 'inbox');
    const staging = path.join(root, 'staging');
    // A second copy on "another disk": every object must reach it, verified, whatever the kills.
    const replicaDir = path.join(root, 'replika');
    fs.mkdirSync(inbox, { recursive: true });
    fs.mkdirSync(replicaDir, { recursive: true });
    const texts = [SAMPLE_TEXT.id1, SAMPLE_TEXT.id2, SAMPLE_TEXT.id3, SAMPLE_TEXT.en1];
    const names: string[] = [];
    const pagesOf: Record<string, number> = {};
    for (let i = 0; i < 8; i++) {
      const n = 1 + (i % 2);
      const specs = Array.from({ length: n }, (_, p) => ({
        columns: [texts[(i + p) % texts.length] as string],
        width: 820 + i * 8,
        height: 620,
        skewDeg: p === 0 ? 1 : 0,
        format: (['jpeg', 'png', 'tiff'] as const)[(i + p) % 3],
      }));
      const name = `buku ${String(i + 1).padStart(2, '0')}`;
      await writeBatch(staging, name, specs, { metadata: { title: `Buku Uji ${i + 1}` } });
      fs.writeFileSync(path.join(staging, name, 'READY'), '');
      names.push(name);
      pagesOf[name] = n;
    }
    const originals: Original[] = names.flatMap((batch) =>
      fs
        .readdirSync(path.join(staging, batch))
        .filter((f) => /\.(jpg|png|tif)$/.test(f))
        .map((file) => ({ batch, file, sha256: sha(fs.readFileSync(path.join(staging, batch, file))) })),
    );
    const dropped = new Set<string>();
    const drop = (batch: string) => {
      fs.renameSync(path.join(staging, batch), path.join(inbox, batch));
      dropped.add(batch);
    };

    // --- Original safety sampler -------------------------------------------------------------
    let db: Database.Database | null = null;
    const registerDb = () => {
      if (!db && fs.existsSync(path.join(data, 'register.sqlite'))) {
        db = new Database(path.join(data, 'register.sqlite'), { readonly: true });
        db.pragma('busy_timeout = 5000');
      }
      return db;
    };
    let samples = 0;
    const violations: string[] = [];
    const inVerifiedStore = (o: Original): boolean => {
      const rows = (registerDb()
        ?.prepare(
          `SELECT p.original_key AS key FROM pages p JOIN items i ON i.id = p.item_id
           WHERE p.source_file = ? AND p.original_sha256 = ? AND i.status != 'receiving'`,
        )
        .all(o.file, o.sha256) ?? []) as { key: string }[];
      return rows.some((r) => {
        const f = path.join(data, 'store', 'objects', ...r.key.split('/'));
        return fs.existsSync(f) && sha(fs.readFileSync(f)) === o.sha256;
      });
    };
    const sample = () => {
      for (const o of originals) {
        if (!dropped.has(o.batch)) continue;
        samples++;
        let inInbox = false;
        try {
          inInbox = sha(fs.readFileSync(path.join(inbox, o.batch, o.file))) === o.sha256;
        } catch {}
        // Checked in this order: once verified, an original stays verified, so no race hides a loss.
        if (!inInbox && !inVerifiedStore(o))
          violations.push(`${o.batch}/${o.file} at ${Date.now() - started} ms`);
      }
    };
    const sampler = setInterval(() => {
      try {
        sample();
      } catch {
        // the register may be mid-creation on the very first start
      }
    }, 40);

    // --- The storm -----------------------------------------------------------------------------
    const spawnServe = (): {
      child: ChildProcess;
      exited: Promise<number | null>;
      stderr: () => string;
      readyAt: () => number | null;
    } => {
      const child = spawn(process.execPath, [BIN, 'serve', '--data', data], {
        env: {
          ...process.env,
          PINDAI_PORT: '0',
          PINDAI_QUIET_SECONDS: '1',
          PINDAI_OCR_WORKERS: '1',
          PINDAI_JOB_CONCURRENCY: '2',
          PINDAI_LOG_LEVEL: 'error',
          PINDAI_REPLICA_STORE: 'fs',
          PINDAI_REPLICA_DIR: replicaDir,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      let readyAt: number | null = null;
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        if (readyAt === null && err.includes('Pindai berjalan')) readyAt = Date.now();
      });
      const exited = new Promise<number | null>((r) =>
        child.once('exit', (code, signal) => {
          if (signal && signal !== 'SIGKILL') err += `\n[exited on ${signal}]`;
          r(code);
        }),
      );
      return { child, exited, stderr: () => err, readyAt: () => readyAt };
    };
    const runningNow = (pid: number): Set<Moment> => {
      const seen = new Set<Moment>();
      const d = registerDb();
      if (!d) return seen;
      try {
        for (const r of d
          .prepare(`SELECT stage FROM jobs WHERE status = 'running' AND lease_owner LIKE ?`)
          .all(`%:${pid}:%`) as { stage: Moment }[])
          seen.add(r.stage);
        if (
          (d.prepare(`SELECT COUNT(*) AS n FROM items WHERE status = 'receiving'`).get() as { n: number }).n >
          0
        )
          seen.add('intake');
      } catch {}
      return seen;
    };

    let seed = Number(process.env.PINDAI_KILL_SEED ?? Date.now() % 100_000);
    const firstSeed = seed;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const killedDuring: Record<string, number> = {};
    for (const b of names.slice(0, 3)) drop(b);
    for (let k = 0; k < KILLS; k++) {
      if (k === Math.floor(KILLS / 3)) for (const b of names.slice(3, 6)) drop(b);
      if (k === Math.floor((2 * KILLS) / 3)) for (const b of names.slice(6)) drop(b);
      const s = spawnServe();
      const pid = s.child.pid ?? 0;
      const t0 = Date.now();
      const target = k % 2 === 0 ? null : TARGETS[Math.floor(k / 2) % TARGETS.length];
      // Random kills: every fourth during startup (counted from spawn), the rest once it is serving.
      const fromSpawn = k % 4 === 0;
      const randomAt = (fromSpawn ? 200 : 100) + rand() * (fromSpawn ? 2500 : 4000);
      let during = new Set<Moment>();
      while (s.child.exitCode === null) {
        during = runningNow(pid);
        const elapsed = Date.now() - t0;
        const ready = s.readyAt();
        const sinceReady = ready === null ? -1 : Date.now() - ready;
        if (target && (during.has(target) || elapsed > 12_000)) break;
        if (!target && (fromSpawn ? elapsed >= randomAt : sinceReady >= randomAt)) break;
        await sleep(target ? 3 : 20);
      }
      s.child.kill('SIGKILL');
      const code = await s.exited;
      expect(code, `serve exited by itself: ${s.stderr()}`).toBeNull();
      const label = [...during].sort().join('+') || 'startup/idle';
      killedDuring[label] = (killedDuring[label] ?? 0) + 1;
    }

    // --- Let it finish ---------------------------------------------------------------------------
    const last = spawnServe();
    const deadline = Date.now() + 300_000;
    const finished = () => {
      const d = registerDb();
      if (!d) return false;
      const n = (
        d.prepare(`SELECT COUNT(*) AS n FROM items WHERE status = 'available'`).get() as { n: number }
      ).n;
      const left = fs.readdirSync(inbox).filter((f) => f !== 'arsip' && f !== 'gagal');
      const copying = (
        d.prepare('SELECT COUNT(*) AS n FROM replica_copies WHERE copied_at IS NULL').get() as { n: number }
      ).n;
      return n === names.length && left.length === 0 && copying === 0;
    };
    while (!finished() || last.readyAt() === null) {
      if (Date.now() > deadline) {
        const rows = registerDb()
          ?.prepare(
            `SELECT i.source_name, i.status, i.error_message, j.stage, j.status AS job, j.attempts, j.crashes
             FROM items i LEFT JOIN jobs j ON j.item_id = i.id ORDER BY i.source_name, j.id`,
          )
          .all();
        const left = fs.readdirSync(inbox);
        expect.fail(`not finished: ${JSON.stringify({ rows, left })}\n${last.stderr()}`);
      }
      expect(last.child.exitCode).toBeNull();
      await sleep(250);
    }
    last.child.kill('SIGTERM');
    expect(await last.exited, last.stderr()).toBe(0);
    clearInterval(sampler);
    sample();
    (db as Database.Database | null)?.close();
    const seconds = Math.round((Date.now() - started) / 1000);
    process.stderr.write(
      `kill storm: ${KILLS} kills (seed ${firstSeed}) in ${seconds} s; killed during ${JSON.stringify(killedDuring)}; ` +
        `${samples} original-safety samples, ${violations.length} violations; replica in agreement checked below\n`,
    );

    // --- Original safety -------------------------------------------------------------------------
    expect(violations).toEqual([]);
    expect(samples).toBeGreaterThan(1000);

    // --- Agreement: register, object listing, manifests, index ------------------------------------
    const cat = await openCatalog(loadConfig({}, { dataDir: data }));
    try {
      const items = await cat.register.items.list();
      expect(items.map((i) => i.status)).toEqual(names.map(() => 'available'));
      expect(items.map((i) => i.sourceName).sort()).toEqual(names);
      const seqs = items.map((i) => Number(i.nomorInduk?.split('/')[0])).sort((a, b) => a - b);
      expect(seqs, 'nomor induk unique and consecutive').toEqual(names.map((_, i) => i + 1));
      const listed: string[] = [];
      for await (const o of cat.store.list('')) listed.push(o.key);
      const expected: string[] = [];
      let totalPages = 0;
      for (const it of items) {
        const pages = await cat.register.pages.list(it.id);
        expect(pages.map((p) => p.pageNo)).toEqual(
          Array.from({ length: pagesOf[it.sourceName] ?? 0 }, (_, i) => i + 1),
        );
        totalPages += pages.length;
        const m = JSON.parse((await cat.store.getBuffer(`items/${it.id}/manifest.json`)).toString()) as {
          objects: { key: string; sha256: string }[];
          pages: { originalSha256: string; sourceFile: string }[];
        };
        expected.push(`items/${it.id}/manifest.json`, ...m.objects.map((o) => o.key));
        for (const o of m.objects) expect(await cat.store.sha256(o.key), o.key).toBe(o.sha256);
        expect(m.pages.map((p) => p.originalSha256)).toEqual(pages.map((p) => p.originalSha256));
      }
      expect(listed.sort(), 'no orphan object, nothing missing').toEqual(expected.sort());
      // The replica: every object there with the primary's bytes, each marked copied in the ledger
      // with the SHA-256 the replica holds (verified by read-back), nothing left pending.
      const replica = createFsObjectStore(replicaDir);
      const ledger = new Database(path.join(data, 'register.sqlite'), { readonly: true });
      const rows = ledger.prepare('SELECT key, sha256, copied_at FROM replica_copies ORDER BY key').all() as {
        key: string;
        sha256: string | null;
        copied_at: number | null;
      }[];
      ledger.close();
      const copied = new Map(rows.map((r) => [r.key, r]));
      for (const key of listed) {
        const primarySha = await cat.store.sha256(key);
        const onReplica = (await replica.head(key)) ? await replica.sha256(key) : 'missing';
        expect(onReplica, `replica copy of ${key}`).toBe(primarySha);
        expect(copied.get(key), `ledger row of ${key}`).toMatchObject({ sha256: primarySha });
        expect(copied.get(key)?.copied_at, `${key} copied`).not.toBeNull();
      }
      expect(rows.filter((r) => r.copied_at === null)).toEqual([]);
      for (const o of originals) {
        const arch = path.join(inbox, 'arsip', o.batch, o.file);
        expect(sha(fs.readFileSync(arch)), `archived original ${o.batch}/${o.file}`).toBe(o.sha256);
      }
      expect(fs.existsSync(path.join(inbox, 'gagal'))).toBe(false);
      expect(fs.readdirSync(path.join(inbox, 'arsip')).sort()).toEqual(names);
      expect(await cat.index.countDocuments()).toEqual({ items: names.length, pages: totalPages });
      const idx = new Database(path.join(data, 'index.sqlite'), { readonly: true });
      const indexed = idx.prepare('SELECT item_id AS id FROM items ORDER BY item_id').all() as {
        id: string;
      }[];
      const pageDocs = idx
        .prepare("SELECT item_id || ':' || page AS k FROM doc_rows WHERE page IS NOT NULL ORDER BY k")
        .all() as { k: string }[];
      idx.close();
      expect(indexed.map((r) => r.id)).toEqual(items.map((i) => i.id).sort());
      const pageKeys: string[] = [];
      for (const i of items) {
        for (const p of await cat.register.pages.list(i.id)) pageKeys.push(`${i.id}:${p.pageNo}`);
      }
      expect(pageDocs.map((r) => r.k)).toEqual(pageKeys.sort());
      for (const it of items) {
        expect((await cat.register.jobs.forItem(it.id)).map((j) => [j.stage, j.status])).toEqual(
          ['register', 'clean', 'ocr', 'pdf', 'publish'].map((s) => [s, 'done']),
        );
      }
    } finally {
      await cat.close();
    }
  });
});
