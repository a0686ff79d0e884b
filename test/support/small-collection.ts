import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { collectionDepsOf } from '../../scripts/collection-deps.ts';
import { createApp } from '../../server/app.ts';
import { createTestApp, type TestApp, writeFiles } from './test-app.ts';

export interface SmallCollection {
  app: TestApp;
  base: string;
  /** Item ids in the order the books were given (and published: the last is the newest). */
  ids: string[];
  close(): Promise<void>;
}

/** A plain page image: no text to read, so the fake OCR's words are all the index holds. */
export async function plainPage(width: number, height: number, shade = 235): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: shade, g: shade, b: shade - 10 } } })
    .png()
    .toBuffer();
}

/**
 * A small collection for page tests that are not about OCR: real register, store, index, sharp
 * and HTTP server, with the fake OCR engine ("halaman uji <hash>" per page). Each book is
 * published before the next is accepted, so `ids` is also the publishing order.
 */
export async function buildSmallCollection(
  root: string,
  books: Array<{ metadata: Record<string, unknown>; pages?: number }>,
  env: Record<string, string> = {},
): Promise<SmallCollection> {
  const app = createTestApp(path.join(root, 'data'), { env });
  await app.runner.start();
  const ids: string[] = [];
  for (const [i, book] of books.entries()) {
    const files: Record<string, Buffer | string> = { 'metadata.json': JSON.stringify(book.metadata) };
    for (let n = 1; n <= (book.pages ?? 2); n++)
      files[`hal-${n}.png`] = await plainPage(600 + 10 * n, 800, 230 - 5 * i - n);
    const r = await app.accept(writeFiles(path.join(root, 'src'), `buku-${i + 1}`, files), {
      intake: 'ingest',
      disposition: { kind: 'keep' },
    });
    if (r.status !== 'accepted' || !r.item) throw new Error(`batch ${i + 1} not accepted: ${r.status}`);
    await app.runner.drain([r.item.id]);
    const item = await app.register.items.get(r.item.id);
    if (item?.status !== 'available') throw new Error(`item ${r.item.id} is ${item?.status}`);
    ids.push(r.item.id);
  }
  const server = createApp({ ...collectionDepsOf(app), health: () => ({}) }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    app,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ids,
    async close() {
      await new Promise((r) => server.close(r));
      await app.close();
    },
  };
}
