import type { Config } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
import { openCatalog } from '../open-catalog.ts';
import { rebuildRegister } from '../recovery/rebuild-register.ts';

/** `pindai rebuild-register [--json]`: a lost register comes back from the item manifests. */
export async function rebuildRegisterCommand(config: Config, opts: { json: boolean }): Promise<number> {
  const cat = await openCatalog(config);
  try {
    const r = await rebuildRegister(cat.register, cat.store, cat.index, {
      nomorTemplate: config.nomorTemplate,
      collectionCode: config.collectionCode,
    });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    } else {
      process.stdout.write(
        `${t(config.lang, 'rebuild_done', {
          items: r.restored.length,
          indexed: r.indexed,
          skipped: r.skipped.length,
          unpublished: r.unpublished.length,
        })}\n`,
      );
      for (const s of r.skipped) process.stdout.write(`  ${s.key}: ${s.reason}\n`);
      for (const u of r.unpublished) process.stdout.write(`  items/${u}/\n`);
    }
    return r.skipped.length > 0 ? 1 : 0;
  } finally {
    await cat.close();
  }
}
