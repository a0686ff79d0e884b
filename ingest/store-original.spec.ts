import { describe, expect, it } from 'vitest';
import { PindaiError } from '../core/errors.ts';
import { createFsObjectStore } from '../core/store/fs.object-store.ts';
import { tempDir } from '../test/support/temp-dir.ts';
import { sha256, storeOriginal } from './store-original.ts';

const scan = Buffer.from('the page as scanned');
const expected = { name: 'p1.jpg', sha256: sha256(scan), bytes: scan.length };

describe('storeOriginal', () => {
  it('stores the bytes and reads them back; a second call keeps what is there without reading', async () => {
    const store = createFsObjectStore(tempDir());
    await storeOriginal(store, 'items/a/original/p1.jpg', expected, async () => scan, {
      existing: 'overwrite',
    });
    expect(await store.sha256('items/a/original/p1.jpg')).toBe(expected.sha256);
    const never = async (): Promise<Buffer> => {
      throw new Error('read again');
    };
    await storeOriginal(store, 'items/a/original/p1.jpg', expected, never, { existing: 'refuse' });
  });

  it('never stores a file that changed since it was hashed', async () => {
    const store = createFsObjectStore(tempDir());
    const changed = storeOriginal(store, 'k', expected, async () => Buffer.from('other bytes'), {
      existing: 'overwrite',
    });
    await expect(changed).rejects.toMatchObject({ code: 'image_corrupt', retryable: true });
    expect(await store.head('k')).toBeNull();
  });

  it('other bytes at the key: overwritten for a position key, refused for a content key', async () => {
    const store = createFsObjectStore(tempDir());
    await store.put('k', Buffer.from('a leftover'));
    const refused = storeOriginal(store, 'k', expected, async () => scan, { existing: 'refuse' });
    await expect(refused).rejects.toBeInstanceOf(PindaiError);
    await expect(refused).rejects.toMatchObject({ code: 'store_conflict' });
    expect((await store.getBuffer('k')).toString()).toBe('a leftover');
    await storeOriginal(store, 'k', expected, async () => scan, { existing: 'overwrite' });
    expect(await store.sha256('k')).toBe(expected.sha256);
  });
});
