import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { createRegister, type Register } from '../core/register/register.ts';
import { createFsObjectStore } from '../core/store/fs.object-store.ts';
import { composePindai, type Pindai } from '../scripts/pindai-context.ts';
import { createEmbeddedSearchIndex } from '../search/embedded.search-index.ts';
import { withdrawItem } from '../search/item-changes.ts';
import { createOutboxSearchIndex } from '../search/outbox.search-index.ts';
import { applyOutbox } from '../search/outbox-applier.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { SAMPLE_TEXT } from './fixtures/make-page.ts';
import { createFakeOcr } from './support/fake-ocr.ts';
import { writeBatch } from './support/fixture-batches.ts';
import { OCR_ENV } from './support/ocr-env.ts';
import { tempDir } from './support/temp-dir.ts';

/**
 * A worker with no search index of its own (another machine, while the collection uses the
 * embedded index on the web node) publishes through the register's outbox; the web node applies
 * the notes to its index. Real register (two connections), real store, real embedded index.
 */
describe('index outbox: workers without the index, the web node applies', () => {
  const root = tempDir('pindai-outbox-');
  const config = loadConfig({ PINDAI_DATA_DIR: path.join(root, 'data'), ...OCR_ENV });
  let worker: Pindai;
  let web: { register: Register; index: SearchIndex };
  let itemId = '';
  const titleHits = async () =>
    (await web.index.search({ q: 'Outboxia', limit: 10 })).hits.map((h) => h.itemId);

  beforeAll(async () => {
    const register = createRegister(config.registerPath);
    worker = composePindai(config, {
      register,
      store: createFsObjectStore(config.storeDir),
      index: createOutboxSearchIndex(register),
      ocr: createFakeOcr(),
      log: createLogger('silent'),
    });
    web = {
      register: createRegister(config.registerPath),
      index: createEmbeddedSearchIndex(config.indexPath),
    };
    const batch = await writeBatch(root, 'hikayat', [{ columns: [SAMPLE_TEXT.id1] }], {
      metadata: { title: 'Hikayat Outboxia', rights: 'open' },
    });
    const r = await worker.accept(batch.dir, { intake: 'ingest', disposition: { kind: 'keep' } });
    itemId = r.item?.id ?? '';
    await worker.runner.start();
    await worker.runner.drain([itemId]);
  }, 120_000);

  afterAll(async () => {
    await worker?.close(1000);
    await web?.index.close();
    await web?.register.close();
  });

  it('leaves the index alone until the web node applies the outbox, then the item is found', async () => {
    expect((await web.register.items.get(itemId))?.status).toBe('available');
    expect(await titleHits()).toEqual([]);
    expect(await web.register.outbox.pendingCount()).toBeGreaterThan(0);
    const store = createFsObjectStore(config.storeDir);
    expect(await applyOutbox({ register: web.register, store, index: web.index })).toBeGreaterThan(0);
    expect(await titleHits()).toEqual([itemId]);
    expect(await web.register.outbox.pendingCount()).toBe(0);
    // The page text went in too, read from the store by the web node (the fake OCR's words).
    const pageHits = await web.index.search({ q: 'halaman uji', itemId, limit: 5 });
    expect(pageHits.hits.some((h) => h.page === 1)).toBe(true);
  });

  it('a withdrawal on the worker side takes the item out once applied; a repeated note does no harm', async () => {
    await withdrawItem(
      { staffItems: worker.register.staffItems, index: worker.index },
      itemId,
      'kasi',
      'salah unggah',
    );
    expect(await titleHits()).toEqual([itemId]);
    const store = createFsObjectStore(config.storeDir);
    // A late upsert note for the same item after its removal: applied as "what the register says".
    await web.register.outbox.add(itemId, 'upsert');
    await applyOutbox({ register: web.register, store, index: web.index });
    expect(await titleHits()).toEqual([]);
  });

  it('refuses reads on a worker: no stage may search through the outbox', async () => {
    await expect(worker.index.search({ q: 'x', limit: 1 })).rejects.toThrow(/outbox/);
  });
});
