import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { createRegister } from '../core/register/register.ts';
import { createPindai } from '../scripts/pindai-context.ts';
import { SAMPLE_TEXT } from './fixtures/make-page.ts';
import { writeBatch } from './support/fixture-batches.ts';
import { OCR_ENV } from './support/ocr-env.ts';
import { startPindai } from './support/run-cli.ts';
import { tempDir } from './support/temp-dir.ts';

/** `pindai worker` runs the jobs another process queued, and stops cleanly on SIGTERM. */
describe('pindai worker', () => {
  const root = tempDir();
  const data = path.join(root, 'data');

  it('processes queued items to available, with no HTTP server of its own', async () => {
    const batch = await writeBatch(path.join(root, 'src'), 'Antrean', [{ columns: [SAMPLE_TEXT.id1] }], {
      metadata: { title: 'Buku Antrean', year: 1999 },
    });
    // Accept in one process without running any stage: the jobs wait in the register.
    const app = await createPindai(loadConfig({ ...OCR_ENV }, { dataDir: data }), {
      log: createLogger('silent'),
    });
    const accepted = await app.accept(batch.dir, { intake: 'ingest', disposition: { kind: 'keep' } });
    const itemId = accepted.item?.id ?? '';
    await app.close();
    const register = createRegister(path.join(data, 'register.sqlite'));
    try {
      expect((await register.items.get(itemId))?.status).not.toBe('available');

      const { child, stderr } = await startPindai(['worker', '--data', data], {}, /Pekerja Pindai berjalan/);
      const deadline = Date.now() + 120_000;
      while ((await register.items.get(itemId))?.status !== 'available' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 300));
      }
      expect((await register.items.get(itemId))?.status).toBe('available');
      expect(stderr()).not.toMatch(/http:\/\//);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await register.close();
    }
  });
});
