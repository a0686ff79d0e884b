import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keys } from '../../core/store/keys.ts';
import type { SearchIndex } from '../../search/search-index.ts';
import { makePage, SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { createFakeOcr } from '../support/fake-ocr.ts';
import { tempDir } from '../support/temp-dir.ts';
import { createTestApp, type TestApp, writeFiles } from '../support/test-app.ts';

const root = tempDir();

async function pages(): Promise<Record<string, Buffer>> {
  return {
    'hal-1.jpg': await makePage({ columns: [SAMPLE_TEXT.id1], width: 600, height: 700, skewDeg: 1 }),
    'hal-2.png': await makePage({ columns: [SAMPLE_TEXT.id2], width: 600, height: 700, format: 'png' }),
  };
}

/** Everything a finished item leaves behind, with its id taken out so two runs compare equal. */
async function snapshot(app: TestApp, itemId: string) {
  const item = await app.register.items.get(itemId);
  const norm = (k: string) => k.replaceAll(itemId, 'ITEM');
  const objects: Record<string, string> = {};
  for await (const o of app.store.list(keys.itemPrefix(itemId))) {
    // The PDF and the manifest carry dates of their run; they are compared by content below.
    if (o.key === keys.pdf(itemId) || o.key === keys.manifest(itemId)) continue;
    objects[norm(o.key)] = await app.store.sha256(o.key);
  }
  const manifest = JSON.parse((await app.store.getBuffer(keys.manifest(itemId))).toString()) as {
    objects: { key: string; sha256: string }[];
  };
  const pdfFile = path.join(root, `${itemId}.pdf`);
  fs.writeFileSync(pdfFile, await app.store.getBuffer(keys.pdf(itemId)));
  const found = await app.index.search({ q: 'halaman uji' });
  return {
    item: {
      status: item?.status,
      nomorInduk: item?.nomorInduk,
      pageCount: item?.pageCount,
      flags: item?.flags,
      errorCode: item?.errorCode,
    },
    pages: (await app.register.pages.list(itemId)).map((p) => ({
      pageNo: p.pageNo,
      sourceFile: p.sourceFile,
      originalSha256: p.originalSha256,
      clean: [p.cleanWidth, p.cleanHeight, p.cleanDpi, p.skew],
      ocr: [p.ocrChars, p.ocrConfidence, p.ocrWarning],
    })),
    jobs: (await app.register.jobs.forItem(itemId)).map((j) => [j.stage, j.status]),
    objects,
    manifestKeys: manifest.objects.map((o) => norm(o.key)).sort(),
    manifestHashes: manifest.objects
      .filter((o) => o.key !== keys.pdf(itemId))
      .map((o) => `${norm(o.key)} ${o.sha256}`)
      .sort(),
    pdfText: execFileSync('pdftotext', [pdfFile, '-']).toString(),
    pdfPages: /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfFile]).toString())?.[1],
    index: await app.index.countDocuments(),
    hits: found.hits.map((h) => [h.page, h.nomorInduk]),
  };
}

/** An index whose first upsert stalls: publish outlives its lease too. */
function stallFirstUpsert(inner: SearchIndex, ms: number): SearchIndex {
  let first = true;
  return {
    ...inner,
    upsertItem: async (item, p) => {
      if (first) {
        first = false;
        await new Promise((r) => setTimeout(r, ms));
      }
      return inner.upsertItem(item, p);
    },
    search: (q) => inner.search(q),
    removeItem: (id) => inner.removeItem(id),
    countDocuments: () => inner.countDocuments(),
    clear: () => inner.clear(),
    close: () => inner.close(),
  };
}

/**
 * A stage that outlives its lease is taken over by another worker and so runs twice, both runs
 * writing; the final state must equal a clean run's.
 */
describe('lease expiry: a stage that outlives its lease runs twice', () => {
  it('ends in the same state as a clean run', async () => {
    const clean = createTestApp(path.join(root, 'clean'));
    let cleanSnap: Awaited<ReturnType<typeof snapshot>>;
    try {
      const r = await clean.accept(writeFiles(path.join(root, 'inbox-a'), 'Buku', await pages()));
      await clean.runner.start();
      await clean.runner.drain([r.item?.id ?? '']);
      cleanSnap = await snapshot(clean, r.item?.id ?? '');
    } finally {
      await clean.close();
    }

    // First OCR call stalls 2.5 s, and so does the first index upsert; leases last 400 ms and the
    // heartbeat (every second) comes too late: a second runner takes each over and runs it again.
    let first = true;
    const ocr = createFakeOcr({
      onPage: async () => {
        if (first) {
          first = false;
          await new Promise((r) => setTimeout(r, 2500));
        }
      },
    });
    const twice = createTestApp(path.join(root, 'twice'), {
      ocr,
      wrapIndex: (i) => stallFirstUpsert(i, 2500),
      runner: { leaseMs: 400, concurrency: 1 },
    });
    try {
      const r = await twice.accept(writeFiles(path.join(root, 'inbox-b'), 'Buku', await pages()));
      const id = r.item?.id ?? '';
      const other = twice.newRunner({ leaseMs: 400, concurrency: 1 });
      await twice.runner.start();
      await other.start();
      await twice.runner.drain([id]);
      // Let the stalled first runs finish writing after the takeover.
      await new Promise((res) => setTimeout(res, 3000));
      const runs = await twice.register.runs.runsFor(id);
      expect(runs.filter((x) => x.outcome === 'lost').map((x) => x.stage)).toEqual(
        expect.arrayContaining(['ocr', 'publish']),
      );
      expect(ocr.calls).toBeGreaterThan(2);
      expect(await snapshot(twice, id)).toEqual(cleanSnap);
    } finally {
      await twice.close();
    }
  });
});
