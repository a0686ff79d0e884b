import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { keys } from '../../core/store/keys.ts';
import { openCatalog } from '../../scripts/open-catalog.ts';
import type { FixityReport } from '../../scripts/recovery/fixity.ts';
import { SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { writeBatch } from '../support/fixture-batches.ts';
import { pindai } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const QUERIES = ['perpustakaan', 'halaman demi halaman', 'buku induk', 'pemustaka mencari', 'naskah'];

/** What a restore must bring back unchanged: counts, every checksum, and top results. */
async function stateOf(data: string) {
  const cat = await openCatalog(loadConfig({}, { dataDir: data }));
  try {
    const items = await cat.register.items.list();
    const pageCount = async () => {
      let n = 0;
      for (const i of items) n += (await cat.register.pages.list(i.id)).length;
      return n;
    };
    const objects: Record<string, string> = {};
    for await (const o of cat.store.list('items/')) objects[o.key] = await cat.store.sha256(o.key);
    const top: Record<string, [string, number | null][]> = {};
    for (const q of QUERIES)
      top[q] = (await cat.index.search({ q, limit: 3 })).hits.map((h) => [h.itemId, h.page]);
    return {
      items: items.map((i) => [i.id, i.nomorInduk, i.status, i.pageCount, i.title, i.fingerprint]),
      pages: await pageCount(),
      objects,
      index: await cat.index.countDocuments(),
      top,
    };
  } finally {
    await cat.close();
  }
}

/**
 * Fixity and recovery with the real commands: `pindai fixity`, `pindai backup`, `pindai restore`
 * and `pindai rebuild-register` on items ingested through the real pipeline.
 */
describe('fixity, backup, restore and rebuild: a restore drill', () => {
  const root = tempDir();
  const data = path.join(root, 'data');
  const backup = path.join(root, 'cadangan');
  let original: Awaited<ReturnType<typeof stateOf>>;

  beforeAll(async () => {
    const src = path.join(root, 'src');
    const texts = [SAMPLE_TEXT.id1, SAMPLE_TEXT.id2, SAMPLE_TEXT.id3];
    for (const [i, t] of texts.entries()) {
      await writeBatch(src, `buku-${i + 1}`, [{ columns: [t], width: 900, height: 700 }], {
        metadata: { title: `Buku ${i + 1}` },
      });
    }
    const r = await pindai(['ingest', src, '--json', '--data', data], { PINDAI_OCR_WORKERS: '2' });
    expect(r.code, r.stderr).toBe(0);
    original = await stateOf(data);
    expect(original.items).toHaveLength(3);
    expect(Object.keys(original.objects).length).toBeGreaterThan(20);
    expect(original.top.perpustakaan?.length).toBeGreaterThan(0);
  });
  afterAll(() => {});

  it('fixity finds everything intact, and a rolling share covers each item exactly once', async () => {
    const all = await pindai(['fixity', '--json', '--data', data]);
    expect(all.code, all.stderr).toBe(0);
    const report = JSON.parse(all.stdout) as FixityReport;
    expect(report).toMatchObject({ checkedItems: 3, mismatches: [] });
    expect(report.checkedObjects).toBe(Object.keys(original.objects).length - 3); // manifests aside
    const seen: string[] = [];
    for (const slot of [0, 1, 2]) {
      const r = await pindai(['fixity', '--share', '1/3', '--slot', String(slot), '--json', '--data', data]);
      seen.push(...(JSON.parse(r.stdout) as FixityReport).items);
    }
    expect(seen.sort()).toEqual(original.items.map((i) => i[0]).sort());
  });

  it('backup then restore into an empty data folder brings back the same counts, checksums and results', async () => {
    const b = await pindai(['backup', backup, '--data', data]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/Cadangan selesai/);
    const restored = path.join(root, 'pulih');
    const r = await pindai(['restore', backup, '--data', restored]);
    expect(r.code, r.stderr).toBe(0);
    expect(await stateOf(restored)).toEqual(original);
    // A second restore over it is refused without --force.
    const again = await pindai(['restore', backup, '--data', restored]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/holds 3 items/);
  });

  it('rebuilds a lost register and index from the manifests alone', async () => {
    const rebuilt = path.join(root, 'bangun-ulang');
    fs.cpSync(path.join(data, 'store'), path.join(rebuilt, 'store'), { recursive: true });
    const r = await pindai(['rebuild-register', '--json', '--data', rebuilt]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ skipped: [], unpublished: [], indexed: 3 });
    expect(await stateOf(rebuilt)).toEqual(original);
    // The running number continues after the restored ones: no nomor induk can be given twice.
    const db = new Database(path.join(rebuilt, 'register.sqlite'), { readonly: true });
    const counters = db.prepare('SELECT last_seq FROM counters').all() as { last_seq: number }[];
    db.close();
    expect(counters.map((c) => c.last_seq)).toEqual([3]);
  });

  it('fixity reports a damaged object with item, key, expected and actual hash, and never repairs it', async () => {
    const damaged = path.join(root, 'rusak');
    fs.cpSync(data, damaged, { recursive: true });
    const [itemId, nomor] = original.items[1] as [string, string];
    const key = keys.access(itemId, 1);
    const file = path.join(damaged, 'store', 'objects', ...key.split('/'));
    const bytes = fs.readFileSync(file);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
    fs.writeFileSync(file, bytes);
    const r = await pindai(['fixity', '--json', '--data', damaged]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as FixityReport;
    expect(report.mismatches).toHaveLength(1);
    expect(report.mismatches[0]).toMatchObject({
      itemId,
      nomorInduk: nomor,
      key,
      expected: original.objects[key],
    });
    expect(report.mismatches[0]?.actual).toMatch(/^[0-9a-f]{64}$/);
    expect(report.mismatches[0]?.actual).not.toBe(original.objects[key]);
    const text = await pindai(['fixity', '--data', damaged]);
    expect(text.stdout).toMatch(/TIDAK COCOK item .* seharusnya [0-9a-f]{64}, sekarang [0-9a-f]{64}/);
    expect(fs.readFileSync(file)).toEqual(bytes); // still damaged: never "repaired"
    // A deleted original is reported as missing.
    const orig = Object.keys(original.objects).find((k) => k.startsWith(`items/${itemId}/original/`)) ?? '';
    fs.rmSync(path.join(damaged, 'store', 'objects', ...orig.split('/')));
    const r2 = JSON.parse((await pindai(['fixity', '--json', '--data', damaged])).stdout) as FixityReport;
    expect(r2.mismatches).toContainEqual(expect.objectContaining({ key: orig, actual: 'missing' }));
  });

  it('refuses to restore a damaged backup and writes nothing', async () => {
    const bad = path.join(root, 'cadangan-rusak');
    fs.cpSync(backup, bad, { recursive: true });
    const someKey = Object.keys(original.objects)[0] ?? '';
    fs.appendFileSync(path.join(bad, 'store', 'objects', ...someKey.split('/')), 'x');
    const target = path.join(root, 'tidak-dipulihkan');
    const r = await pindai(['restore', bad, '--data', target]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tidak cocok dengan katalognya/);
    expect(fs.existsSync(path.join(target, 'register.sqlite'))).toBe(false);
    expect(fs.existsSync(path.join(target, 'store'))).toBe(false);
  });
});
