import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runObjectStoreContract } from '../../test/contracts/object-store.contract.ts';
import { tempDir } from '../../test/support/temp-dir.ts';
import { createFsObjectStore } from './fs.object-store.ts';

const root = tempDir();
runObjectStoreContract('filesystem', async () => createFsObjectStore(root));

describe('filesystem object store', () => {
  it('leaves no partial object when a write fails mid-stream', async () => {
    const s = createFsObjectStore(root);
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
        this.destroy(new Error('disk went away'));
      },
    });
    await expect(s.put('items/f/broken.bin', failing)).rejects.toThrow(/disk went away/);
    expect(await s.head('items/f/broken.bin')).toBeNull();
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });
});
