import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../../core/config.ts';
import { keys } from '../../core/store/keys.ts';
import { exportedMetsAlto } from '../../server/collection/item-interchange.ts';
import { openCatalog } from '../open-catalog.ts';

/**
 * `pindai export <item> --to <dir>`: the item's PDF, per-page text, manifest, and its METS
 * (`mets.xml`) with one ALTO file per recognised page (`alto/hlm-NNNN.xml`), as digitisation
 * programmes exchange them.
 */
export async function exportCommand(config: Config, ref: string, to: string): Promise<number> {
  const cat = await openCatalog(config);
  try {
    const item = (await cat.register.items.get(ref)) ?? (await cat.register.items.byNomorInduk(ref));
    if (!item) {
      process.stderr.write(`Item "${ref}" tidak ditemukan.\n`);
      return 1;
    }
    if (item.status !== 'available' || !item.pdfKey) {
      process.stderr.write(`Item ${item.nomorInduk ?? item.id} belum tersedia (status: ${item.status}).\n`);
      return 1;
    }
    const dir = path.resolve(to);
    await fsp.mkdir(path.join(dir, 'teks'), { recursive: true });
    const base = (item.nomorInduk ?? item.id).replace(/[/\\:*?"<>|]+/g, '-');
    await pipeline(await cat.store.get(item.pdfKey), fs.createWriteStream(path.join(dir, `${base}.pdf`)));
    for (const p of await cat.register.pages.list(item.id)) {
      const text = await cat.store.getBuffer(keys.ocrText(item.id, p.pageNo));
      await fsp.writeFile(path.join(dir, 'teks', `hlm-${String(p.pageNo).padStart(4, '0')}.txt`), text);
    }
    await pipeline(
      await cat.store.get(keys.manifest(item.id)),
      fs.createWriteStream(path.join(dir, 'manifest.json')),
    );
    const altoName = (n: number) => `alto/hlm-${String(n).padStart(4, '0')}.xml`;
    const { mets, alto } = await exportedMetsAlto(cat, item, await cat.register.pages.list(item.id), {
      pdfName: `${base}.pdf`,
      altoName,
      ...(config.publicUrl !== undefined && { publicUrl: config.publicUrl }),
    });
    await fsp.mkdir(path.join(dir, 'alto'), { recursive: true });
    for (const a of alto) await fsp.writeFile(path.join(dir, altoName(a.pageNo)), a.xml);
    await fsp.writeFile(path.join(dir, 'mets.xml'), mets);
    process.stdout.write(`${dir}\n`);
    return 0;
  } finally {
    await cat.close();
  }
}
