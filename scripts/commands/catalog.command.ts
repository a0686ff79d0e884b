import path from 'node:path';
import type { Config } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
import { openConfiguredRegister } from '../../core/register/open-configured.ts';
import { CatalogFileError } from '../../ingest/catalog/catalog-file-error.ts';
import { readCatalogFile } from '../../ingest/catalog/read-catalog-file.ts';

/**
 * `pindai catalog import <file>`: load an INLISLite/SLiMS export (MARC 21, MARCXML, CSV, .xlsx)
 * into the register's catalogue. The whole file is read and checked first, then stored in one transaction:
 * a bad record refuses the import whole (exit 1), naming the record; a re-import updates.
 */
export async function catalogImportCommand(
  config: Config,
  file: string,
  opts: { json: boolean },
): Promise<number> {
  const name = path.basename(file);
  let records: Awaited<ReturnType<typeof readCatalogFile>>;
  try {
    records = await readCatalogFile(file);
  } catch (err) {
    if (!(err instanceof CatalogFileError)) throw err;
    const message = `${err.text(config.lang)} ${t(config.lang, 'catalog_nothing_imported')}`;
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify({ file: name, imported: 0, error: { code: err.code, ...err.params, message } })}\n`,
      );
    } else process.stderr.write(`${message}\n`);
    return 1;
  }
  const register = await openConfiguredRegister(config);
  try {
    const r = await register.catalog.importRecords(records, name);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ file: name, imported: records.length, ...r })}\n`);
    } else {
      process.stdout.write(
        `${t(config.lang, 'catalog_imported', { file: name, total: records.length, inserted: r.inserted, updated: r.updated })}\n`,
      );
    }
    return 0;
  } finally {
    await register.close();
  }
}
