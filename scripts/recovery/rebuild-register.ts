import type { Page } from '../../core/item.types.ts';
import { type NomorTemplate, parseNomorTemplate } from '../../core/nomor-induk.ts';
import type { Register } from '../../core/register/register.ts';
import { keys } from '../../core/store/keys.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import type { SearchIndex } from '../../search/search-index.ts';
import type { ItemManifest } from '../../workers/manifest.ts';
import { rebuildIndex } from '../reindex.ts';

export interface RebuildReport {
  restored: { itemId: string; nomorInduk: string | null; pages: number }[];
  /** Manifests that could not be used, with why. */
  skipped: { key: string; reason: string }[];
  /** Item folders in the store without a manifest: received but never published. */
  unpublished: string[];
  indexed: number;
}

/**
 * Rebuild the register (Buku Induk) from the item manifests in the store, then the search index
 * from register + store. Refuses to write into a register that already holds items: the register
 * is rebuilt only when it is lost, never merged over a live one.
 */
export async function rebuildRegister(
  register: Register,
  store: ObjectStore,
  index: SearchIndex,
  opts: { nomorTemplate: string; collectionCode: string },
): Promise<RebuildReport> {
  const { restore } = register;
  if ((await restore.itemCount()) > 0) {
    throw new Error(
      `the register already holds ${await restore.itemCount()} items; move it away before rebuilding it from the manifests`,
    );
  }
  const template = parseNomorTemplate(opts.nomorTemplate);
  const report: RebuildReport = { restored: [], skipped: [], unpublished: [], indexed: 0 };
  const prefixes = new Set<string>();
  const manifests: string[] = [];
  for await (const o of store.list('items/')) {
    const id = o.key.split('/')[1] ?? '';
    prefixes.add(id);
    if (o.key === keys.manifest(id)) manifests.push(o.key);
  }
  for (const key of manifests) {
    let m: ItemManifest;
    try {
      m = JSON.parse((await store.getBuffer(key)).toString('utf8')) as ItemManifest;
      if (m.manifestVersion !== 1 || !m.item?.id || !Array.isArray(m.pages))
        throw new Error('not a manifest');
    } catch (err) {
      report.skipped.push({ key, reason: (err as Error).message });
      continue;
    }
    const missing = [];
    for (const o of m.objects) if (!(await store.head(o.key))) missing.push(o.key);
    if (missing.length > 0) {
      report.skipped.push({ key, reason: `objects missing: ${missing.slice(0, 5).join(', ')}` });
      continue;
    }
    const results = new Map((m.pageResults ?? []).map((r) => [r.pageNo, r]));
    const pages: Omit<Page, 'itemId'>[] = [];
    for (const p of m.pages) {
      const r = results.get(p.pageNo);
      const ocr = r?.cleanWidth ? null : await readOcrSize(store, m.item.id, p.pageNo);
      pages.push({
        ...p,
        sourceKind: p.sourceKind ?? 'image',
        sourceRegion: p.sourceRegion ?? null,
        orientation: p.orientation ?? null,
        orientationConfidence: p.orientationConfidence ?? null,
        rotateOverride: p.rotateOverride ?? null,
        textXHeight: null,
        cleanWidth: r?.cleanWidth ?? ocr?.width ?? null,
        cleanHeight: r?.cleanHeight ?? ocr?.height ?? null,
        cleanDpi: r?.cleanDpi ?? null,
        cleanedAt: m.writtenAt,
        ocrChars: r?.ocrChars ?? ocr?.chars ?? null,
        ocrAt: m.writtenAt,
      });
    }
    const numbering = m.numbering ?? guessNumbering(template, opts.collectionCode, m);
    await restore.restoreItem({ item: m.item, numbering, pages, publishedAt: m.writtenAt });
    report.restored.push({ itemId: m.item.id, nomorInduk: m.item.nomorInduk, pages: pages.length });
  }
  const restored = new Set(report.restored.map((r) => r.itemId));
  report.unpublished = [...prefixes].filter((id) => !restored.has(id)).sort();
  report.indexed = (await rebuildIndex({ register, store, index }, { clear: true })).items;
  return report;
}

async function readOcrSize(store: ObjectStore, itemId: string, pageNo: number) {
  try {
    const j = JSON.parse((await store.getBuffer(keys.ocrJson(itemId, pageNo))).toString('utf8')) as {
      width: number;
      height: number;
      text: string;
    };
    return { width: j.width, height: j.height, chars: j.text.length };
  } catch {
    return null;
  }
}

/** Older manifests lack numbering: read the running number back out of the nomor induk. */
function guessNumbering(
  template: NomorTemplate,
  code: string,
  m: ItemManifest,
): { series: string; seq: number } | null {
  const nomor = m.item.nomorInduk;
  if (!nomor) return null;
  const at = new Date(m.item.registeredAt ?? m.item.createdAt);
  const pattern = template.source
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (/^\{seq(:\d+)?\}$/.test(part)) return '(\\d+)';
      if (part === '{year}') return '\\d{4}';
      if (part === '{yy}') return '\\d{2}';
      if (part === '{code}') return '[A-Za-z0-9]*';
      return part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    })
    .join('');
  const seq = new RegExp(`^${pattern}$`).exec(nomor)?.[1];
  return seq ? { series: template.series(at, code), seq: Number(seq) } : null;
}
