import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../core/store/object-store.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Behaviour every ObjectStore adapter must show (filesystem now, S3 later). */
export function runObjectStoreContract(name: string, make: () => Promise<ObjectStore>) {
  describe(`ObjectStore contract: ${name}`, () => {
    it('puts bytes and a stream, returning their SHA-256 and size, and reads them back', async () => {
      const s = await make();
      const data = Buffer.from('halaman satu — naskah');
      const r = await s.put('items/a/original/f0001-x.jpg', data);
      expect(r).toEqual({ sha256: sha(data), size: data.length });
      expect(await s.getBuffer('items/a/original/f0001-x.jpg')).toEqual(data);
      const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
      const r2 = await s.put('items/a/big.bin', Readable.from([big.subarray(0, 1000), big.subarray(1000)]));
      expect(r2.sha256).toBe(sha(big));
      expect(await s.sha256('items/a/big.bin')).toBe(sha(big));
    });

    it('serves byte ranges (inclusive)', async () => {
      const s = await make();
      await s.put('items/r/file.txt', Buffer.from('0123456789'));
      expect((await buffer(await s.get('items/r/file.txt', { start: 2, end: 5 }))).toString()).toBe('2345');
    });

    it('heads, lists by prefix in key order, and deletes', async () => {
      const s = await make();
      await s.put('items/l/b.txt', Buffer.from('b'));
      await s.put('items/l/a/c.txt', Buffer.from('cc'));
      await s.put('items/l2/x.txt', Buffer.from('x'));
      expect((await s.head('items/l/a/c.txt'))?.size).toBe(2);
      expect(await s.head('items/l/none')).toBeNull();
      const listed: string[] = [];
      for await (const o of s.list('items/l/')) listed.push(o.key);
      expect(listed).toEqual(['items/l/a/c.txt', 'items/l/b.txt']);
      await s.delete('items/l/b.txt');
      expect(await s.head('items/l/b.txt')).toBeNull();
      await s.delete('items/l/b.txt'); // deleting twice is fine
    });

    it('overwrites atomically: the object is whole before and after', async () => {
      const s = await make();
      await s.put('items/o/p.txt', Buffer.from('old'));
      await s.put('items/o/p.txt', Buffer.from('new version'));
      expect((await s.getBuffer('items/o/p.txt')).toString()).toBe('new version');
    });

    it('refuses keys that could escape the store', async () => {
      const s = await make();
      for (const key of ['../x', 'items/../../etc/passwd', '/abs', 'a\\b', 'a//b', 'a/./b', '']) {
        await expect(s.put(key, Buffer.from('x'))).rejects.toThrow(/unsafe object key/);
      }
    });

    it('reports a missing object as ENOENT', async () => {
      const s = await make();
      await expect(s.getBuffer('items/missing/x')).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
}
