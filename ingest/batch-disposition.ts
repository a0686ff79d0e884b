import fsp from 'node:fs/promises';
import path from 'node:path';
import type { REASON_FILE, RECEIPT_FILE } from './ignore-rules.ts';

/**
 * Move a batch folder out of the inbox into `arsip/` or `gagal/`, never overwriting: a second
 * batch with the same name gets a numbered suffix. The receipt or reason is written first, so an
 * operator who sees the folder moved always finds the explanation inside.
 */
export async function moveBatch(
  batchDir: string,
  targetRoot: string,
  note: { file: typeof RECEIPT_FILE | typeof REASON_FILE; text: string },
): Promise<string> {
  await fsp.writeFile(path.join(batchDir, note.file), `${note.text}\n`, 'utf8');
  await fsp.mkdir(targetRoot, { recursive: true });
  const base = path.basename(batchDir);
  for (let n = 0; n < 10_000; n++) {
    const dest = path.join(targetRoot, n === 0 ? base : `${base} (${n + 1})`);
    // Reserve the name atomically: mkdir fails if it exists, so two batches moving at once never
    // pick the same one. rename(2) then replaces our own empty folder.
    try {
      await fsp.mkdir(dest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    try {
      await fsp.rename(batchDir, dest);
    } catch (err) {
      await fsp.rmdir(dest).catch(() => {});
      throw err;
    }
    return dest;
  }
  throw new Error(`cannot find a free name for ${base} in ${targetRoot}`);
}
