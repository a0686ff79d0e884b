import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/temp-dir.ts';
import { findPageGaps, readBatchFile, scanBatch } from './batch-scan.ts';

const root = tempDir();

function batch(name: string, files: string[]): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(dir, f), 'x');
  return dir;
}

describe('scanBatch', () => {
  it('orders pages naturally (p2 before p10) and ignores system, temp and lock files', async () => {
    const dir = batch('natural', [
      'p10.jpg',
      'p2.jpg',
      'p1.JPG',
      '.DS_Store',
      '._p1.jpg',
      'Thumbs.db',
      '~$lock.docx',
      'p3.jpg.part',
      'scan.tmp',
      'desktop.ini',
      'metadata.json',
      'SELESAI',
      'notes.txt',
    ]);
    const s = await scanBatch(dir);
    expect(s.pageFiles).toEqual(['p1.JPG', 'p2.jpg', 'p10.jpg']);
    expect(s.metadataFiles).toEqual(['metadata.json']);
    expect(s.hasMarker).toBe(true);
    expect(s.otherFiles).toEqual(['notes.txt']);
  });

  it('never follows symlinks and refuses FIFOs', async () => {
    const dir = batch('unsafe', ['p1.jpg']);
    fs.writeFileSync(path.join(root, 'secret.jpg'), 'outside');
    fs.symlinkSync(path.join(root, 'secret.jpg'), path.join(dir, 'p2.jpg'));
    execFileSync('mkfifo', [path.join(dir, 'p3.jpg')]);
    const s = await scanBatch(dir);
    expect(s.pageFiles).toEqual(['p1.jpg']);
    expect(s.unsafe.map((u) => u.detail).sort()).toEqual(['FIFO', 'symlink']);
    await expect(readBatchFile(dir, 'p2.jpg', 1e6)).rejects.toThrow();
    await expect(readBatchFile(dir, 'p3.jpg', 1e6)).rejects.toThrow(/regular file/);
    await expect(readBatchFile(dir, '../secret.jpg', 1e6)).rejects.toThrow(/unsafe/);
  });

  it('keeps names with spaces and non-ASCII (NFC and NFD) exactly', async () => {
    const nfc = 'halaman é 1.jpg'.normalize('NFC');
    const nfd = 'halaman ü 2.jpg'.normalize('NFD');
    const dir = batch('unicode', [nfc, nfd]);
    const s = await scanBatch(dir);
    expect(s.pageFiles).toEqual([nfc, nfd]);
    expect((await readBatchFile(dir, nfd, 10)).toString()).toBe('x');
  });
});

describe('findPageGaps', () => {
  it('finds missing numbers in numbered names only', () => {
    expect(findPageGaps(['page-0001.jpg', 'page-0002.jpg', 'page-0005.jpg'])).toEqual([3, 4]);
    expect(findPageGaps(['a.jpg', 'b.jpg'])).toEqual([]);
    expect(findPageGaps(['p1.jpg', 'p2.jpg', 'p3.jpg'])).toEqual([]);
  });
});
