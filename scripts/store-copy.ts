import type { ObjectStore } from '../core/store/object-store.ts';
import type { S3ObjectStore } from '../core/store/s3.object-store.ts';

export interface CopyReport {
  objects: number;
  copied: number;
  /** Already in the target with the same SHA-256. */
  skipped: number;
  bytes: number;
  failed: Array<{ key: string; error: string }>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  webp: 'image/webp',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  hocr: 'text/html; charset=utf-8',
};

export function contentTypeOf(key: string): string {
  return CONTENT_TYPES[key.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/**
 * Copies every object of `source` into `target`, each verified by reading it back from the
 * target and comparing SHA-256s. Idempotent and resumable: an object already in the target
 * whose recorded SHA-256 equals the source's is skipped (with `verifyExisting`, re-read and
 * re-hashed instead of trusting the record), so a run stopped halfway just runs again.
 * Failures are collected per object; the source is never modified.
 */
export async function copyObjects(
  source: ObjectStore,
  target: S3ObjectStore,
  opts: {
    verifyExisting?: boolean;
    onObject?: (key: string, action: 'copied' | 'skipped' | 'failed') => void;
  } = {},
): Promise<CopyReport> {
  const report: CopyReport = { objects: 0, copied: 0, skipped: 0, bytes: 0, failed: [] };
  for await (const info of source.list('')) {
    report.objects++;
    const key = info.key;
    try {
      const want = await source.sha256(key);
      const have = opts.verifyExisting
        ? (await target.head(key)) && (await target.sha256(key))
        : await target.storedSha256(key);
      if (have === want) {
        report.skipped++;
        opts.onObject?.(key, 'skipped');
        continue;
      }
      const put = await target.put(key, await source.get(key), { contentType: contentTypeOf(key) });
      if (put.sha256 !== want) throw new Error(`source changed while copying (${want} → ${put.sha256})`);
      const readBack = await target.sha256(key);
      if (readBack !== want) throw new Error(`target reads back as ${readBack}, expected ${want}`);
      report.copied++;
      report.bytes += put.size;
      opts.onObject?.(key, 'copied');
    } catch (err) {
      report.failed.push({ key, error: err instanceof Error ? err.message : String(err) });
      opts.onObject?.(key, 'failed');
    }
  }
  return report;
}
