import type { Config } from '../../core/config.ts';
import { type CsvCell, csvText } from '../../core/csv.ts';
import { inventoryRecords, inventoryRow } from '../../core/inventory.ts';
import type { InventoryEntry } from '../../core/register/inventory.queries.ts';
import { openCatalog } from '../open-catalog.ts';

/** `pindai inventory`: the Buku Inventaris Alih Media as CSV or JSON, the rows staff export. */
export async function inventoryCommand(config: Config, format: 'csv' | 'json'): Promise<void> {
  const cat = await openCatalog(config);
  try {
    const entries: InventoryEntry[] = [];
    for await (const e of cat.register.inventory.iterate()) entries.push(e);
    const records: CsvCell[][] = [];
    if (format === 'csv') for await (const r of inventoryRecords(entries, config.lang)) records.push(r);
    process.stdout.write(
      format === 'json'
        ? `${JSON.stringify({ items: entries.map((e) => inventoryRow(e, config.lang)) }, null, 2)}\n`
        : csvText(records),
    );
  } finally {
    await cat.close();
  }
}
