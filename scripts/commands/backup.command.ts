import path from 'node:path';
import type { Config } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
import { openCatalog } from '../open-catalog.ts';
import { backupTo, restoreFrom } from '../recovery/backup.ts';

/** `pindai backup <dir>`: register (online backup API), index and every object, with a catalogue. */
export async function backupCommand(config: Config, dir: string, opts: { json: boolean }): Promise<number> {
  if (config.registerUrl) {
    // The backup folder holds the embedded register file; a PostgreSQL register has its own tools.
    process.stderr.write(
      'Register ada di PostgreSQL (PINDAI_REGISTER_URL): cadangkan dengan pg_dump; berkas di penyimpanan tetap dapat disalin.\n',
    );
    return 2;
  }
  const cat = await openCatalog(config);
  try {
    const catalog = await backupTo(config, cat.store, dir);
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify({ dir: path.resolve(dir), objects: catalog.objects.length })}\n`,
      );
    } else {
      process.stdout.write(
        `${t(config.lang, 'backup_done', { dir: path.resolve(dir), objects: catalog.objects.length })}\n`,
      );
    }
    return 0;
  } finally {
    await cat.close();
  }
}

/** `pindai restore <dir> [--force]`: verify every file of the backup, then put it in place. */
export async function restoreCommand(
  config: Config,
  dir: string,
  opts: { force: boolean; json: boolean },
): Promise<number> {
  if (config.registerUrl) {
    // The backup folder holds the embedded register file; a PostgreSQL register has its own tools.
    process.stderr.write(
      'Register ada di PostgreSQL (PINDAI_REGISTER_URL): cadangkan dengan pg_dump; berkas di penyimpanan tetap dapat disalin.\n',
    );
    return 2;
  }
  const r = await restoreFrom(config, dir, { force: opts.force });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  } else if (r.problems.length > 0) {
    const first = r.problems[0];
    process.stderr.write(
      `${t(config.lang, 'restore_refused', { count: r.problems.length, file: first?.file ?? '' })}\n`,
    );
    for (const p of r.problems) process.stderr.write(`  ${p.file}: ${p.expected} ≠ ${p.actual}\n`);
  } else {
    process.stdout.write(
      `${t(config.lang, 'restore_done', { objects: r.objects, dir: path.resolve(dir) })}\n`,
    );
  }
  return r.problems.length > 0 ? 1 : 0;
}
