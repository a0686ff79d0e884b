import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { publicAccessOf } from '../../core/access.ts';
import type { Config } from '../../core/config.ts';
import { PindaiError } from '../../core/errors.ts';
import type { Item } from '../../core/item.types.ts';
import { keys } from '../../core/store/keys.ts';
import { exportedMetsAlto } from '../../server/collection/item-interchange.ts';
import { writeBag } from '../export/bagit.ts';
import { type CatalogTarget, exportForCatalog } from '../export/catalog-export.ts';
import { openCatalog } from '../open-catalog.ts';

/**
 * `pindai export <item> --to <dir>`: the item's PDF, per-page text, manifest, and its METS
 * (`mets.xml`) with one ALTO file per recognised page (`alto/hlm-NNNN.xml`), as digitisation
 * programmes exchange them.
 */
export async function exportCommand(config: Config, refs: string[], to: string): Promise<number> {
  const [ref, ...more] = refs;
  if (ref === undefined || more.length > 0) {
    process.stderr.write(
      'Sebutkan tepat satu item (id atau nomor induk), atau pakai --bagit untuk beberapa.\n',
    );
    return 2;
  }
  const cat = await openCatalog(config);
  try {
    const [item] = (await chosenItems(cat, [ref], false)) ?? [];
    if (!item) return 1;
    if (!item.pdfKey) {
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

/** Items are read this many at a time for `--all`. */
const PAGE = 500;

/** The items named (id or nomor induk, available), or with `all` every available item; null after an error message. */
async function chosenItems(
  cat: Awaited<ReturnType<typeof openCatalog>>,
  refs: string[],
  all: boolean,
): Promise<Item[] | null> {
  const items: Item[] = [];
  if (all) {
    for (let offset = 0; ; offset += PAGE) {
      const page = await cat.register.items.list({ status: 'available', limit: PAGE, offset });
      items.push(...page);
      if (page.length < PAGE) break;
    }
  }
  for (const ref of refs) {
    const item = (await cat.register.items.get(ref)) ?? (await cat.register.items.byNomorInduk(ref));
    if (!item) {
      process.stderr.write(`Item "${ref}" tidak ditemukan.\n`);
      return null;
    }
    if (item.status !== 'available') {
      process.stderr.write(`Item ${item.nomorInduk ?? item.id} belum tersedia (status: ${item.status}).\n`);
      return null;
    }
    items.push(item);
  }
  return items;
}

/** Runs `work` on the chosen items; a PindaiError is the user's message, exit 1. */
async function withItems(
  config: Config,
  refs: string[],
  all: boolean,
  work: (cat: Awaited<ReturnType<typeof openCatalog>>, items: Item[]) => Promise<string>,
): Promise<number> {
  if ((refs.length === 0) === !all) {
    process.stderr.write('Sebutkan item (id atau nomor induk) atau --all, tidak keduanya.\n');
    return 2;
  }
  const cat = await openCatalog(config);
  try {
    const items = await chosenItems(cat, refs, all);
    if (items === null) return 1;
    process.stdout.write(`${await work(cat, items)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof PindaiError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await cat.close();
  }
}

/** `pindai export [items...] --bagit [--all] --to <dir>`: one BagIt bag of available items. */
export function bagitCommand(
  config: Config,
  refs: string[],
  to: string,
  opts: { all: boolean },
): Promise<number> {
  return withItems(config, refs, opts.all, async (cat, items) => {
    const bag = await writeBag(cat.store, items, to, {
      ...(config.library.name !== undefined && { organization: config.library.name }),
    });
    return `${bag.dir}: ${bag.items} item, ${bag.files} berkas, ${bag.bytes} byte`;
  });
}

/** `pindai export [items...] --for inlislite|slims [--all] --to <dir>`: files for the library's catalogue. */
export function catalogExportCommand(
  config: Config,
  refs: string[],
  to: string,
  opts: { all: boolean; target: CatalogTarget },
): Promise<number> {
  return withItems(config, refs, opts.all, async (cat, chosen) => {
    // With --all, the public items (a named item that is not public is refused instead).
    const items = opts.all ? chosen.filter((i) => publicAccessOf(i) !== null) : chosen;
    const skipped = chosen.length - items.length;
    const r = await exportForCatalog(cat, items, to, {
      target: opts.target,
      publicUrl: config.publicUrl,
      lang: config.lang,
    });
    const note = r.withoutPdf.length > 0 ? ` (tanpa PDF, hanya baca daring: ${r.withoutPdf.join(', ')})` : '';
    const hidden = skipped > 0 ? `; ${skipped} item tidak publik dilewati` : '';
    return `${r.dir}: ${r.items} item, ${r.pdfFiles} berkas PDF${note}${hidden}`;
  });
}
