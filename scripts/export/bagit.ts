/**
 * BagIt (RFC 8493) export of items: a bag any preservation system or `sha256sum -c` can check,
 * for handing a collection to another institution or an offline shelf. Each item's stored objects
 * go under data/<nomor induk>/ (the item manifest's own object list, so nothing is guessed), and
 * every byte is verified against the SHA-256 the manifest recorded while it is copied: a damaged
 * object stops the export (a bag of damaged files would certify the damage). The bag is written
 * to `<to>.partial` and renamed when complete, so a half-written bag never looks finished.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PindaiError } from '../../core/errors.ts';
import type { Item } from '../../core/item.types.ts';
import { keys } from '../../core/store/keys.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';

export interface BagResult {
  dir: string;
  items: number;
  files: number;
  bytes: number;
}

interface StoredManifest {
  objects: Array<{ key: string; size: number; sha256: string }>;
}

/** A file or folder name from a nomor induk ("00042/AM/2026" → "00042-AM-2026"). */
export function safeName(s: string): string {
  return s.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|-+$/g, '') || 'item';
}

/** RFC 8493 §2.1.3: a manifest path encodes %, CR and LF. */
const manifestPath = (p: string) => p.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');

/** A bag-info value on one line (labels may repeat; values must not break lines). */
const tagValue = (v: unknown) => String(v).replace(/\s+/g, ' ').trim();

async function copyVerified(
  store: ObjectStore,
  key: string,
  file: string,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await pipeline(
    await store.get(key),
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    }),
    fs.createWriteStream(file, { flags: 'wx' }),
  );
  return { sha256: hash.digest('hex'), size };
}

export async function writeBag(
  store: ObjectStore,
  items: Item[],
  to: string,
  opts: { organization?: string; now?: Date } = {},
): Promise<BagResult> {
  const dir = path.resolve(to);
  if (fs.existsSync(dir)) {
    throw new PindaiError('BAG_TARGET_EXISTS', `Folder ${dir} sudah ada; pilih folder baru untuk bag.`, {
      params: { path: dir },
    });
  }
  const tmp = `${dir}.partial`;
  await fsp.rm(tmp, { recursive: true, force: true });
  await fsp.mkdir(path.join(tmp, 'data'), { recursive: true });
  try {
    const lines: string[] = [];
    let bytes = 0;
    const folders = new Set<string>();
    for (const item of items) {
      let folder = safeName(item.nomorInduk ?? item.id);
      if (folders.has(folder)) folder = `${folder}-${safeName(item.id)}`;
      folders.add(folder);
      const manifestKey = keys.manifest(item.id);
      const manifest = JSON.parse((await store.getBuffer(manifestKey)).toString('utf8')) as StoredManifest;
      const prefix = keys.itemPrefix(item.id);
      const entries = [
        ...manifest.objects.map((o) => ({ key: o.key, expect: o.sha256 })),
        { key: manifestKey, expect: null },
      ];
      for (const { key, expect } of entries) {
        if (!key.startsWith(prefix)) continue;
        const rel = `data/${folder}/${key.slice(prefix.length)}`;
        const got = await copyVerified(store, key, path.join(tmp, ...rel.split('/')));
        if (expect !== null && got.sha256 !== expect) {
          throw new PindaiError(
            'BAG_OBJECT_DAMAGED',
            `Objek ${key} (item ${item.nomorInduk ?? item.id}) tidak cocok dengan SHA-256 di manifesnya: rusak. ` +
              'Bag tidak dibuat; jalankan "pindai fixity" dan perbaiki dari cadangan.',
            { params: { key, item: item.id } },
          );
        }
        lines.push(`${got.sha256}  ${manifestPath(rel)}`);
        bytes += got.size;
      }
    }
    const write = (name: string, text: string) => fsp.writeFile(path.join(tmp, name), text, 'utf8');
    await write('bagit.txt', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    await write('manifest-sha256.txt', lines.length > 0 ? `${lines.join('\n')}\n` : '');
    await write('bag-info.txt', bagInfo(items, bytes, lines.length, opts));
    const tags = await Promise.all(
      ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt'].map(async (name) => {
        const sha = createHash('sha256')
          .update(await fsp.readFile(path.join(tmp, name)))
          .digest('hex');
        return `${sha}  ${name}`;
      }),
    );
    await write('tagmanifest-sha256.txt', `${tags.join('\n')}\n`);
    await fsp.rename(tmp, dir);
    return { dir, items: items.length, files: lines.length, bytes };
  } catch (err) {
    await fsp.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** bag-info.txt: the reserved labels, and Dublin Core of a one-item bag (DC-*). */
function bagInfo(
  items: Item[],
  bytes: number,
  files: number,
  opts: { organization?: string; now?: Date },
): string {
  const tags: Array<[string, unknown]> = [];
  if (opts.organization) tags.push(['Source-Organization', opts.organization]);
  tags.push(['Bagging-Date', (opts.now ?? new Date()).toISOString().slice(0, 10)]);
  tags.push(['Payload-Oxum', `${bytes}.${files}`]);
  tags.push(['Bag-Software-Agent', 'Pindai']);
  for (const item of items) tags.push(['External-Identifier', item.nomorInduk ?? item.id]);
  const [only] = items;
  if (items.length === 1 && only) {
    const m = only.metadata;
    const dc: Array<[string, unknown]> = [
      ['DC-Title', m.title ?? only.title],
      ['DC-Creator', m.creator],
      ['DC-Publisher', m.publisher],
      ['DC-Date', m.year],
      ['DC-Type', m.type],
      ['DC-Identifier', only.nomorInduk],
      ['DC-Rights', m.rights],
    ];
    for (const [k, v] of dc) if (v !== undefined && v !== null && v !== '') tags.push([k, v]);
    for (const lang of [m.language ?? []].flat()) tags.push(['DC-Language', lang]);
    for (const subject of m.subjects ?? []) tags.push(['DC-Subject', subject]);
  } else {
    tags.push(['Internal-Sender-Description', `${items.length} item alih media (Pindai)`]);
  }
  return tags.map(([k, v]) => `${k}: ${tagValue(v)}\n`).join('');
}
