import ExcelJS from 'exceljs';
import type { CatalogRecord } from '../../core/catalog.types.ts';
import { CatalogFileError } from './catalog-file-error.ts';
import { catalogRecordsOfRows, type Row } from './csv-records.ts';

/** A cell as the text a CSV export of it would hold. */
function textOf(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return v.result === undefined ? '' : textOf(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v);
}

/**
 * Records of the first sheet of an Excel workbook (.xlsx): INLISLite 3.3 exports its catalogue
 * only as Excel (Laporan → Eksemplar), PhpSpreadsheet writing the labels in row 1. Read by the
 * CSV rules (csv-records.ts), row numbers as the sheet's.
 */
export async function readCatalogXlsx(data: Buffer, file: string): Promise<CatalogRecord[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch (err) {
    throw new CatalogFileError('catalog_file_unreadable', { file, detail: (err as Error).message });
  }
  const ws = wb.worksheets[0];
  const rows: Row[] = [];
  ws?.eachRow({ includeEmpty: false }, (row, line) => {
    const values = (row.values as ExcelJS.CellValue[]).slice(1).map(textOf);
    if (values.every((v) => v.trim() === '')) return;
    rows.push({ cells: values, line });
  });
  // A sheet's rows end at their last filled cell; the header row sets the width.
  const width = rows[0]?.cells.length ?? 0;
  for (const r of rows) {
    while (r.cells.length < width) r.cells.push('');
    while (r.cells.length > width && r.cells[r.cells.length - 1]?.trim() === '') r.cells.pop();
  }
  return catalogRecordsOfRows(rows, file);
}
