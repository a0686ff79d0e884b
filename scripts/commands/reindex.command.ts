import type { Config } from '../../core/config.ts';
import { openCatalog } from '../open-catalog.ts';
import { rebuildIndex } from '../reindex.ts';

/** `pindai reindex`: rebuild the configured search index from the register and the store. */
export async function reindexCommand(
  config: Config,
  opts: { clear: boolean; json: boolean },
): Promise<number> {
  const cat = await openCatalog(config);
  try {
    let n = 0;
    const report = await rebuildIndex(cat, {
      clear: opts.clear,
      onItem: () => {
        if (!opts.json && ++n % 50 === 0) process.stderr.write(`  ${n} item diindeks…\n`);
      },
    });
    const counts = await cat.index.countDocuments();
    if (opts.json) process.stdout.write(`${JSON.stringify({ ...report, index: counts }, null, 2)}\n`);
    else {
      process.stdout.write(
        `Indeks dibangun ulang (${config.search.kind}): ${report.items} item, ${report.pages} halaman` +
          `${report.removed > 0 ? `, ${report.removed} item tidak tersedia dikeluarkan` : ''}.\n`,
      );
      for (const f of report.failed) process.stdout.write(`  GAGAL ${f.itemId}: ${f.error}\n`);
    }
    return report.failed.length > 0 ? 1 : 0;
  } finally {
    await cat.close();
  }
}
