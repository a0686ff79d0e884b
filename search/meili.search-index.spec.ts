import { randomUUID } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { afterAll, describe, expect, it } from 'vitest';
import { runSearchIndexContract } from '../test/contracts/search-index.contract.ts';
import { createMeiliSearchIndex } from './meili.search-index.ts';
import type { ItemDocument } from './search-index.ts';

/**
 * Runs only against a real Meilisearch: set PINDAI_MEILI_URL (and PINDAI_MEILI_KEY if the
 * server has a master key). Without it the suite is reported as skipped, never as passed.
 * Each test gets its own index (uid pindai-test-…), deleted afterwards.
 */
const url = process.env.PINDAI_MEILI_URL;
const apiKey = process.env.PINDAI_MEILI_KEY || undefined;
const uids: string[] = [];

const make = (uid = `pindai-test-${randomUUID()}`) => {
  uids.push(uid);
  return createMeiliSearchIndex({ url: url ?? '', ...(apiKey && { apiKey }), indexUid: uid });
};

const book = (itemId: string, title: string, pageCount: number): ItemDocument => ({
  itemId,
  nomorInduk: `00042/AM/2024`,
  title,
  pageCount,
  publishedAt: '2024-05-01T08:00:00.000Z',
});

describe.skipIf(!url)('Meilisearch search index', () => {
  afterAll(async () => {
    const client = new Meilisearch({ host: url ?? '', ...(apiKey && { apiKey }) });
    for (const uid of uids) await client.deleteIndexIfExists(uid);
  });

  runSearchIndexContract('Meilisearch', async () => make());

  it('keeps ids with / and Unicode as given, though Meilisearch allows only [A-Za-z0-9_-]', async () => {
    const index = make();
    const itemId = '00042/AM/2024 Ça';
    await index.upsertItem(book(itemId, 'Babad Tanah Djawi', 1), [
      { itemId, page: 1, text: 'Kisah raja-raja Mataram.' },
    ]);
    const r = await index.search({ q: 'mataram' });
    expect(r.hits[0]).toMatchObject({ itemId, page: 1, nomorInduk: '00042/AM/2024' });
    expect((await index.search({ q: 'kisah', itemId })).total).toBe(1);
    await index.removeItem(itemId);
    expect(await index.countDocuments()).toEqual({ items: 0, pages: 0 });
  });

  it('finds words at the end of a book longer than 65,535 words (one document per page)', async () => {
    const index = make();
    const filler = Array.from({ length: 2_000 }, (_, i) => `kata${i % 97}`).join(' ');
    const pages = Array.from({ length: 40 }, (_, i) => ({
      itemId: 'tebal',
      page: i + 1,
      text: i === 39 ? `${filler} penutupbuku` : filler,
    }));
    await index.upsertItem(book('tebal', 'Buku Tebal', pages.length), pages);
    const r = await index.search({ q: 'penutupbuku ' });
    expect(r.hits.map((h) => h.page)).toEqual([40]);
  });

  it('throws when Meilisearch fails a task instead of trusting its 202', async () => {
    const uid = `pindai-test-${randomUUID()}`;
    uids.push(uid);
    const client = new Meilisearch({ host: url ?? '', ...(apiKey && { apiKey }) });
    // An index whose primary key is not ours: every document addition task fails.
    await client.createIndex(uid, { primaryKey: 'other' }).waitTask();
    const index = make(uid);
    await expect(index.upsertItem(book('x', 'Judul', 0), [])).rejects.toMatchObject({
      code: 'SEARCH_TASK_FAILED',
    });
  });
});
