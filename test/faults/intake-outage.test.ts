import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePage, SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { failingStore, outage } from '../support/failing-deps.ts';
import { tempDir } from '../support/temp-dir.ts';
import { createTestApp, writeFiles } from '../support/test-app.ts';

/**
 * The object store is down while a batch arrives: acceptBatch fails without moving or touching
 * the folder, nothing is failed for good, and once the store is back the same folder is accepted
 * as the one item it half-started.
 */
describe('intake while the object store is down', () => {
  it('leaves the batch in the inbox and finishes it after recovery', async () => {
    const root = tempDir();
    const o = outage();
    const app = createTestApp(path.join(root, 'data'), { wrapStore: (s) => failingStore(s, o) });
    try {
      const page = await makePage({ columns: [SAMPLE_TEXT.id2], width: 600, height: 700 });
      const dir = writeFiles(path.join(root, 'data', 'inbox'), 'Buku Hujan', {
        'p1.jpg': page,
        'p2.jpg': page,
      });
      o.down = true;
      await expect(app.accept(dir)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(fs.readdirSync(dir).sort()).toEqual(['p1.jpg', 'p2.jpg']);
      expect(fs.readFileSync(path.join(dir, 'p1.jpg'))).toEqual(page);
      const half = await app.register.items.list();
      expect(half.map((i) => i.status)).toEqual(['receiving']);
      o.down = false;
      const r = await app.accept(dir);
      expect(r.status).toBe('existing');
      expect(r.item?.id).toBe(half[0]?.id);
      expect(r.item?.status).toBe('received');
      expect(fs.existsSync(dir)).toBe(false);
      expect(await app.register.items.list()).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
