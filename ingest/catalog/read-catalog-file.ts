import fsp from 'node:fs/promises';
import path from 'node:path';
import type { CatalogRecord } from '../../core/catalog.types.ts';
import { CatalogFileError } from './catalog-file-error.ts';
import { readCatalogCsv } from './csv-records.ts';
import { readIso2709, readMarcXml } from './marc-records.ts';
import { catalogRecordOfMarc } from './marc-to-catalog.ts';
import { readCatalogXlsx } from './xlsx-records.ts';

/** A catalogue export larger than this is refused rather than read into memory (≈ 1 million records). */
export const MAX_CATALOG_BYTES = 1024 * 1024 * 1024;

/**
 * Every record of a catalogue export (INLISLite or SLiMS): `.mrc`/`.marc`/`.iso` MARC 21 (ISO 2709),
 * `.xml` MARCXML, `.csv`, `.xlsx` (INLISLite's Excel exports). The whole file is read and checked
 * before anything is returned: the first fault throws a CatalogFileError naming the record, so an
 * import is all or nothing.
 */
export async function readCatalogFile(file: string): Promise<CatalogRecord[]> {
  const name = path.basename(file);
  const ext = path.extname(file).toLowerCase();
  const kind =
    ext === '.csv'
      ? 'csv'
      : ext === '.xlsx'
        ? 'xlsx'
        : ext === '.xml'
          ? 'marcxml'
          : ['.mrc', '.marc', '.iso'].includes(ext)
            ? 'marc'
            : null;
  if (!kind) throw new CatalogFileError('catalog_file_unknown', { file: name });
  let data: Buffer;
  try {
    const st = await fsp.stat(file);
    if (st.size > MAX_CATALOG_BYTES) throw new Error(`larger than ${MAX_CATALOG_BYTES} bytes`);
    data = await fsp.readFile(file);
  } catch (err) {
    throw new CatalogFileError('catalog_file_unreadable', { file: name, detail: (err as Error).message });
  }
  const records =
    kind === 'csv'
      ? readCatalogCsv(data, name)
      : kind === 'xlsx'
        ? await readCatalogXlsx(data, name)
        : (kind === 'marc' ? readIso2709(data, name) : readMarcXml(data, name)).map((r, i) =>
            catalogRecordOfMarc(r, i + 1, kind),
          );
  if (records.length === 0) throw new CatalogFileError('catalog_file_empty', { file: name });
  return records;
}
