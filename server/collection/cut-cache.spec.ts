import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.ts';
import { createCutCache } from './cut-cache.ts';

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

describe('createCutCache', () => {
  const root = tempDir('pindai-cut-cache-');

  it('returns what was put, and nothing for other keys', async () => {
    const cache = createCutCache({ dir: `${root}/a`, maxBytes: 1000 });
    await cache.put('items/x/access/p0001.jpg|1|2|0,0,10,10|5x5|default|jpg', bytes(100, 1));
    expect(await cache.get('items/x/access/p0001.jpg|1|2|0,0,10,10|5x5|default|jpg')).toEqual(bytes(100, 1));
    expect(await cache.get('items/x/access/p0001.jpg|1|3|0,0,10,10|5x5|default|jpg')).toBeNull();
  });

  it('stays within its size, dropping the least recently used first', async () => {
    const dir = `${root}/b`;
    const cache = createCutCache({ dir, maxBytes: 300 });
    await cache.put('a', bytes(100, 1));
    await cache.put('b', bytes(100, 2));
    await cache.put('c', bytes(100, 3));
    expect(await cache.get('a')).not.toBeNull(); // a is now the most recently used
    await cache.put('d', bytes(100, 4));
    expect(await cache.get('b')).toBeNull();
    for (const k of ['a', 'c', 'd']) expect(await cache.get(k)).not.toBeNull();
    expect(await cache.stats()).toEqual({ entries: 3, bytes: 300 });
    const onDisk = fs.readdirSync(dir).reduce((sum, f) => sum + fs.statSync(`${dir}/${f}`).size, 0);
    expect(onDisk).toBe(300);
    // Larger than the whole cache: not kept, nothing else dropped.
    await cache.put('huge', bytes(400, 5));
    expect(await cache.get('huge')).toBeNull();
    expect((await cache.stats()).entries).toBe(3);
  });

  it('finds its files again after a restart, within a smaller bound too', async () => {
    const dir = `${root}/c`;
    const first = createCutCache({ dir, maxBytes: 1000 });
    for (const k of ['a', 'b', 'c']) await first.put(k, bytes(100, 7));
    // Last use as the file times say (a write within the same millisecond would tie).
    for (const [i, f] of fs.readdirSync(dir).entries()) fs.utimesSync(`${dir}/${f}`, 1000 + i, 1000 + i);
    const newest = fs.readdirSync(dir).at(-1);
    fs.writeFileSync(`${dir}/left-over.tmp`, 'half a cut');
    const again = createCutCache({ dir, maxBytes: 150 });
    expect(await again.stats()).toEqual({ entries: 1, bytes: 100 });
    expect(fs.existsSync(`${dir}/left-over.tmp`)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([newest]);
    const kept = (await Promise.all(['a', 'b', 'c'].map((k) => again.get(k)))).filter((b) => b !== null);
    expect(kept).toEqual([bytes(100, 7)]);
    // A file lost under it is a miss, not an error.
    for (const f of fs.readdirSync(dir)) fs.rmSync(`${dir}/${f}`);
    for (const k of ['a', 'b', 'c']) expect(await again.get(k)).toBeNull();
  });

  it('keeps nothing with maxBytes 0', async () => {
    const cache = createCutCache({ dir: `${root}/d`, maxBytes: 0 });
    await cache.put('a', bytes(10, 1));
    expect(await cache.get('a')).toBeNull();
    expect(fs.existsSync(`${root}/d`)).toBe(false);
  });
});
