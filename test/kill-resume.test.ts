import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { openCatalog } from '../scripts/open-catalog.ts';
import { SAMPLE_TEXT } from './fixtures/make-page.ts';
import { writeBatch } from './support/fixture-batches.ts';
import { tempDir } from './support/temp-dir.ts';

const BIN = path.resolve('bin/pindai.js');

function runIngest(
  src: string,
  data: string,
): { child: ChildProcess; done: Promise<{ code: number | null; out: string }> } {
  const child = spawn(process.execPath, [BIN, 'ingest', src, '--json', '--data', data], {
    env: { ...process.env, PINDAI_LOG_LEVEL: 'silent', PINDAI_OCR_WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', () => {});
  const done = new Promise<{ code: number | null; out: string }>((resolve) => {
    child.on('exit', (code) => resolve({ code, out }));
  });
  return { child, done };
}

/**
 * SIGKILL `pindai ingest` at random moments and run it again: the end state must equal a clean
 * run's — every item available, nomor induk unique and consecutive, pages right, no orphans.
 */
describe('crash safety: SIGKILL during ingest, then resume', () => {
  it('ends complete and consistent after repeated kills', async () => {
    const root = tempDir();
    const src = path.join(root, 'src');
    const specs = [
      [{ columns: [SAMPLE_TEXT.id1], skewDeg: 1 }],
      [{ columns: [SAMPLE_TEXT.id2], format: 'png' as const }, { columns: [SAMPLE_TEXT.en1] }],
      [{ columns: [SAMPLE_TEXT.id3], format: 'tiff' as const, skewDeg: -1 }],
    ];
    for (const [i, pages] of specs.entries()) {
      await writeBatch(src, `buku-${i + 1}`, pages, { metadata: { title: `Buku ${i + 1}` } });
    }
    const data = path.join(root, 'data');
    // Seeded so a failure can be replayed: kill after these many milliseconds.
    let seed = Number(process.env.PINDAI_KILL_SEED ?? Date.now() % 1000);
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const killAt = Array.from({ length: 5 }, () => 400 + Math.floor(rand() * 5000));
    const killed: number[] = [];
    for (const ms of killAt) {
      const { child, done } = runIngest(src, data);
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      const r = await done;
      clearTimeout(timer);
      if (r.code === null) killed.push(ms);
    }
    const final = await runIngest(src, data).done;
    expect(final.code, `final run output: ${final.out}`).toBe(0);
    const report = JSON.parse(final.out) as {
      items: { nomorInduk: string; status: string; pages: number }[];
    };
    expect(report.items.map((i) => i.status)).toEqual(['available', 'available', 'available']);
    expect(report.items.map((i) => i.pages)).toEqual([1, 2, 1]);

    const cat = await openCatalog(loadConfig({}, { dataDir: data }));
    try {
      const items = await cat.register.items.list();
      expect(items).toHaveLength(3);
      const seqs = items.map((i) => Number(i.nomorInduk?.split('/')[0])).sort((a, b) => a - b);
      expect(seqs, `killed at ${killed.join(', ')} ms`).toEqual([1, 2, 3]);
      for (const it of items)
        expect((await cat.register.pages.list(it.id)).map((p) => p.pageNo)).toEqual(
          Array.from({ length: it.pageCount }, (_, i) => i + 1),
        );
      // Store listing equals the union of manifests (+ the manifests): no orphan, nothing missing.
      const listed: string[] = [];
      for await (const o of cat.store.list('items/')) listed.push(o.key);
      const expected: string[] = [];
      for (const it of items) {
        const m = JSON.parse((await cat.store.getBuffer(`items/${it.id}/manifest.json`)).toString());
        expected.push(`items/${it.id}/manifest.json`, ...m.objects.map((o: { key: string }) => o.key));
        for (const o of m.objects as { key: string; sha256: string }[]) {
          expect(await cat.store.sha256(o.key)).toBe(o.sha256);
        }
      }
      expect(listed.sort()).toEqual(expected.sort());
      const counts = await cat.index.countDocuments();
      expect(counts.items).toBe(3);
      expect(counts.pages).toBe(4);
    } finally {
      await cat.close();
    }
  }, 300_000);
});
