import { defineConfig } from 'vitest/config';

/**
 * The long fault tier (`npm run test:faults`, also run by .ci/run after `npm test`): kill storms,
 * graceful stop of `pindai serve`, OCR runaway and memory over many pages, the restore drill.
 * Each file spawns real processes and real OCR, so they run one at a time.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.long.test.ts'],
    exclude: ['node_modules/**', 'data/**'],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // The zero-install default a fresh user gets (tesseract.js), even where native tesseract is
    // installed (ensure-system-deps adds it for the native engine's spec, which builds its engine
    // itself). Spawned CLI processes inherit it.
    env: { PINDAI_OCR_ENGINE: 'tesseract-js' },
  },
});
