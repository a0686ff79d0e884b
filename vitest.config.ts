import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.spec.ts', '**/*.spec.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['node_modules/**', 'data/**', 'test/faults/**/*.long.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: OCR-heavy files must not all run at once.
    maxWorkers: 2,
    // The zero-install default a fresh user gets (tesseract.js), even where native tesseract is
    // installed (ensure-system-deps adds it for the native engine's spec, which builds its engine
    // itself). Spawned CLI processes inherit it.
    env: { PINDAI_OCR_ENGINE: 'tesseract-js' },
  },
});
