import type { Response } from 'express';
import { writeCsv } from '../../core/csv.ts';
import { INVENTORY_COLUMNS, inventoryRecords, inventoryRow } from '../../core/inventory.ts';
import { type Lang, t } from '../../core/messages.ts';
import type { InventoryEntry } from '../../core/register/inventory.queries.ts';

function attachment(res: Response, type: string, name: string): void {
  res.type(type);
  res.set('Content-Disposition', `attachment; filename="${name}"`);
}

/** The one CSV writer (core/csv.ts: BOM, CRLF, formula guard), streamed row by row. */
export async function sendInventoryCsv(
  res: Response,
  rows: AsyncIterable<InventoryEntry>,
  lang: Lang,
  name: string,
): Promise<void> {
  attachment(res, 'text/csv; charset=utf-8', name);
  await writeCsv(res, inventoryRecords(rows, lang));
}

/** XLSX through exceljs's streaming writer: memory stays flat for any number of rows. */
export async function sendInventoryXlsx(
  res: Response,
  rows: AsyncIterable<InventoryEntry>,
  lang: Lang,
  name: string,
): Promise<void> {
  // Loaded on first use: exceljs alone is ~0.25 CPU s of every `pindai serve` start otherwise.
  const { default: ExcelJS } = await import('exceljs');
  attachment(res, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', name);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: res,
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = 'Pindai';
  const ws = wb.addWorksheet(t(lang, 'st_inv_title').slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  const widths: Record<string, number> = {
    judul: 48,
    keterangan: 48,
    pengarang: 28,
    penerbit: 24,
    nomorInduk: 18,
  };
  ws.columns = INVENTORY_COLUMNS.map(([key, label]) => ({
    header: t(lang, label),
    key,
    width: widths[key] ?? 14,
    ...(key === 'ukuranBerkas' ? { style: { numFmt: '#,##0' } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: INVENTORY_COLUMNS.length } };
  for await (const e of rows) {
    const r = inventoryRow(e, lang);
    // exceljs stores a string as a text cell, never a formula (only { formula } objects are):
    // '=HYPERLINK(…)' stays text, without the CSV's quote prefix (test/csv-exports.test.ts).
    ws.addRow(Object.fromEntries(INVENTORY_COLUMNS.map(([k]) => [k, r[k] ?? '']))).commit();
  }
  ws.commit();
  await wb.commit();
}
