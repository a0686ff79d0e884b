import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { collectionDepsOf } from '../../scripts/collection-deps.ts';
import { createPindai, type Pindai } from '../../scripts/pindai-context.ts';
import { createApp } from '../../server/app.ts';
import { SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { BOOK_PAGES, type FixtureBatch, writeBatch } from './fixture-batches.ts';
import { OCR_ENV } from './ocr-env.ts';

/** Old-spelling prose (original text) for the read-online magazine. */
export const OLD_TEXT = {
  // "bertjerita" (bercerita) and no other form of cerita: word forms composed with old spelling.
  p1: 'Madjalah ini terbit setiap boelan dan bertjerita kepada para pembatja di kota dan di desa.',
  p2: 'Pelaboehan kota Soerabaja ramai oleh kapal dagang. Tjerita para nelajan tentang laoet dan angin moesim ditoelis kembali oleh wartawan kami.',
};
export const SECRET_TEXT = 'Catatan rapat panitia tentang gudang arsip tertutup di lantai bawah tanah.';

export interface CollectionFixture {
  app: Pindai;
  base: string;
  close(): Promise<void>;
  open: { id: string; batch: FixtureBatch };
  readOnline: { id: string; batch: FixtureBatch };
  staffOnly: { id: string; batch: FixtureBatch };
}

/**
 * A small real collection: three batches run through the whole pipeline (sharp, tesseract.js,
 * pdf-lib, SQLite, FTS5) and served by the real app on 127.0.0.1, composed as `pindai serve` does
 * (sharp image cutter included). One open book (3 pages), one read-online magazine in old spelling (2 pages), one staff-only
 * record (1 page).
 */
export async function buildCollection(root: string): Promise<CollectionFixture> {
  const src = path.join(root, 'src');
  const batches = {
    open: await writeBatch(src, 'Sejarah Perpustakaan', BOOK_PAGES, {
      metadata: {
        title: 'Sejarah Perpustakaan Daerah',
        creator: 'Dinas Perpustakaan',
        publisher: 'Pemerintah Daerah',
        place: 'Malang',
        year: 1987,
        language: ['ind', 'eng'],
        type: 'Buku',
        collection: 'Koleksi Lokal',
        callNumber: '027.5 SEJ',
        sourceNomorInduk: '0001/LP/87',
        rights: 'open',
      },
    }),
    readOnline: await writeBatch(
      src,
      'Madjalah Kota',
      [
        // Wider than the 1400 px web derivative, so the read-online size cap is exercised.
        {
          title: 'Madjalah Kota Soerabaja',
          columns: [OLD_TEXT.p1],
          skewDeg: -0.8,
          width: 1700,
          height: 1400,
        },
        { columns: [OLD_TEXT.p2], skewDeg: 1, width: 1700, height: 1400 },
      ],
      {
        metadata: {
          title: 'Madjalah Kota Soerabaja',
          publisher: 'Penerbit Pelaboehan',
          year: 1952,
          language: 'ind',
          type: 'Majalah',
          collection: 'Koleksi Langka',
          rights: 'baca-online',
        },
      },
    ),
    staffOnly: await writeBatch(src, 'Arsip Panitia', [{ columns: [SECRET_TEXT] }], {
      metadata: { title: 'Notulen Panitia Gudang', year: 1990, type: 'Arsip', rights: 'staff-only' },
    }),
  };
  const config = loadConfig({
    PINDAI_DATA_DIR: path.join(root, 'data'),
    PINDAI_OCR_TIMEOUT_SECONDS: '120',
    ...OCR_ENV,
  });
  const app = await createPindai(config, { log: createLogger('warn') });
  const ids: Record<string, string> = {};
  for (const [name, batch] of Object.entries(batches)) {
    const r = await app.accept(batch.dir, { intake: 'ingest', disposition: { kind: 'keep' } });
    if (r.status !== 'accepted' || !r.item)
      throw new Error(`fixture batch ${name} not accepted: ${r.status}`);
    ids[name] = r.item.id;
  }
  await app.runner.start();
  await app.runner.drain(Object.values(ids));
  for (const id of Object.values(ids)) {
    const item = await app.register.items.get(id);
    if (item?.status !== 'available')
      throw new Error(`fixture item ${id} is ${item?.status}: ${item?.errorMessage}`);
  }
  const http = createApp({ ...collectionDepsOf(app), health: () => ({}) });
  const server = http.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app,
    base,
    open: { id: ids.open as string, batch: batches.open },
    readOnline: { id: ids.readOnline as string, batch: batches.readOnline },
    staffOnly: { id: ids.staffOnly as string, batch: batches.staffOnly },
    async close() {
      await new Promise((r) => server.close(r));
      await app.close();
    },
  };
}

export { SAMPLE_TEXT };
