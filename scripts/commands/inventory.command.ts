import type { Config } from '../../core/config.ts';
import { csvText } from '../../core/csv.ts';
import { inventoryRecords, inventoryRow } from '../../core/inventory.ts';
import { openCatalog } from '../open-catalog.ts';

/** `pindai inventory`: the Buku Inventaris Alih Media as CSV or JSON, the rows staff export. */
export async function inventoryCommand(config: Config, format: 'csv' | 'json'): Promise<void> {
  const cat = await openCatalog(config);
  try {
    const entries = cat.register.inventory.iterate();
    process.stdout.write(
      format === 'json'
        ? `${JSON.stringify({ items: [...entries].map((e) => inventoryRow(e, config.lang)) }, null, 2)}\n`
        : csvText(inventoryRecords(entries, config.lang)),
    );
  } finally {
    await cat.close();
  }
}
