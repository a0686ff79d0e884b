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
  },
});
