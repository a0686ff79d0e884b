import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A fresh temp folder removed after the test file (kept when PINDAI_KEEP_TEST_DIRS=1). */
export function tempDir(prefix = 'pindai-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => {
    if (process.env.PINDAI_KEEP_TEST_DIRS !== '1') fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
