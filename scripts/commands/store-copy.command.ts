import path from 'node:path';
import type { Config } from '../../core/config.ts';
import { createS3ObjectStore } from '../../core/store/s3.object-store.ts';
import { openFsStore } from '../open-backends.ts';
import { copyObjects } from '../store-copy.ts';

/**
 * `pindai store copy --to s3`: every object of the filesystem store into the S3 bucket from
 * PINDAI_S3_*, each verified by SHA-256. Safe to repeat or resume; the local store is left as
 * it is (switch with PINDAI_STORE=s3 once a run reports no failures).
 */
export async function storeCopyCommand(
  config: Config,
  opts: { to: string; verifyExisting: boolean; json: boolean },
): Promise<number> {
  if (opts.to !== 's3') {
    process.stderr.write(`Tujuan tidak dikenal: ${opts.to} (hanya "s3")\n`);
    return 2;
  }
  if (!config.s3) {
    process.stderr.write(
      'Setel PINDAI_S3_ENDPOINT, PINDAI_S3_ACCESS_KEY, PINDAI_S3_SECRET_KEY (dan PINDAI_S3_BUCKET) dulu.\n',
    );
    return 2;
  }
  const { kind: _kind, ...s3 } = config.s3;
  const target = createS3ObjectStore({ ...s3, tmpDir: path.join(config.dataDir, 'tmp', 's3') });
  const source = await openFsStore(config);
  let n = 0;
  const report = await copyObjects(source, target, {
    verifyExisting: opts.verifyExisting,
    onObject: (key, action) => {
      if (opts.json) return;
      if (action === 'failed') process.stderr.write(`  gagal: ${key}\n`);
      else if (++n % 200 === 0) process.stderr.write(`  ${n} objek…\n`);
    },
  });
  if (opts.json) process.stdout.write(`${JSON.stringify({ bucket: target.bucket, ...report }, null, 2)}\n`);
  else {
    process.stdout.write(
      `${report.objects} objek: ${report.copied} disalin (${report.bytes} byte), ${report.skipped} sudah ada, ` +
        `${report.failed.length} gagal → s3://${target.bucket}\n`,
    );
    for (const f of report.failed) process.stdout.write(`  GAGAL ${f.key}: ${f.error}\n`);
  }
  return report.failed.length > 0 ? 1 : 0;
}
