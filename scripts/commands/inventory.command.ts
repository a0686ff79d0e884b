import type { Config } from '../../core/config.ts';
import { inventoryRows, toCsv } from '../../core/inventory.ts';
import { openCatalog } from '../open-catalog.ts';

/** `pindai inventory`: the Buku Inventaris Alih Media as CSV or JSON. */
export async function inventoryCommand(config: Config, format: 'csv' | 'json'): Promise<void> {
  const cat = await openCatalog(config);
  try {
    const rows = inventoryRows(cat.register, config.lang);
    process.stdout.write(format === 'json' ? `${JSON.stringify({ items: rows }, null, 2)}\n` : toCsv(rows));
  } finally {
    await cat.close();
  }
}
