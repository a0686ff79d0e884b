import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveBatch } from './batch-disposition.ts';

const REASON = 'ALASAN.txt' as const;

function batch(root: string, name: string, content: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'p1.jpg'), content);
  return dir;
}

describe('moveBatch', () => {
  it('moves many same-named batches at once without overwriting or failing any', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-move-'));
    const target = path.join(root, 'gagal');
    const dirs = Array.from({ length: 12 }, (_, i) =>
      batch(path.join(root, `in${i}`), 'Buku Sama', `isi ${i}`),
    );
    const dests = await Promise.all(dirs.map((d) => moveBatch(d, target, { file: REASON, text: 'rusak' })));
    expect(new Set(dests).size).toBe(12);
    const contents = dests.map((d) => fs.readFileSync(path.join(d, 'p1.jpg'), 'utf8')).sort();
    expect(contents).toEqual(Array.from({ length: 12 }, (_, i) => `isi ${i}`).sort());
    for (const d of dests) expect(fs.readFileSync(path.join(d, REASON), 'utf8')).toBe('rusak\n');
    expect(dirs.every((d) => !fs.existsSync(d))).toBe(true);
  });

  it('never replaces an empty folder an operator left with the same name', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-move-'));
    const target = path.join(root, 'arsip');
    fs.mkdirSync(path.join(target, 'Buku'), { recursive: true });
    const dest = await moveBatch(batch(path.join(root, 'in'), 'Buku', 'x'), target, {
      file: 'HASIL.txt',
      text: 'diterima',
    });
    expect(path.basename(dest)).toBe('Buku (2)');
    expect(fs.readdirSync(path.join(target, 'Buku'))).toEqual([]);
  });
});
