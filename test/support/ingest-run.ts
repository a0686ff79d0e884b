import path from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { createPindai, type Pindai } from '../../scripts/pindai-context.ts';
import { OCR_ENV } from './ocr-env.ts';

/**
 * The embedded default with real OCR under `root/data`: accept each batch folder as `pindai ingest`
 * does (folders left in place), run the pipeline to the end, and return the app and item ids.
 */
export async function ingestAndRun(
  root: string,
  dirs: string[],
): Promise<{ app: Pindai; itemIds: string[] }> {
  const config = loadConfig({
    PINDAI_DATA_DIR: path.join(root, 'data'),
    PINDAI_OCR_TIMEOUT_SECONDS: '120',
    ...OCR_ENV,
  });
  const app = await createPindai(config, { log: createLogger('warn') });
  const itemIds: string[] = [];
  for (const dir of dirs) {
    const r = await app.accept(dir, { intake: 'ingest', disposition: { kind: 'keep' } });
    expect(r.status).toBe('accepted');
    itemIds.push(r.item?.id ?? '');
  }
  await app.runner.start();
  await app.runner.drain(itemIds);
  return { app, itemIds };
}
