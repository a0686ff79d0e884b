import type { Item, Page } from '../core/item.types.ts';
import { keys } from '../core/store/keys.ts';
import type { ObjectStore } from '../core/store/object-store.ts';

export interface ManifestObject {
  key: string;
  size: number;
  sha256: string;
}

export interface ItemManifest {
  manifestVersion: 1;
  item: Omit<Item, 'status' | 'stage' | 'errorCode' | 'errorMessage' | 'updatedAt'>;
  pages: (Pick<
    Page,
    | 'pageNo'
    | 'sourceFile'
    | 'sourceSubpage'
    | 'originalKey'
    | 'originalSha256'
    | 'originalBytes'
    | 'format'
    | 'width'
    | 'height'
    | 'dpi'
    | 'skew'
    | 'ocrConfidence'
    | 'ocrWarning'
  > &
    /** Absent in manifests written before PDF input, spreads and orientation detection. */
    Partial<
      Pick<Page, 'sourceKind' | 'sourceRegion' | 'orientation' | 'orientationConfidence' | 'rotateOverride'>
    >)[];
  objects: ManifestObject[];
  writtenAt: string;
  /** The nomor induk's series and running number, so a rebuilt register continues the count. */
  numbering?: { series: string; seq: number } | null;
  /** Per page, what the clean and OCR stages recorded (absent in manifests written before). */
  pageResults?: {
    pageNo: number;
    cleanWidth: number | null;
    cleanHeight: number | null;
    cleanDpi: number | null;
    ocrChars: number | null;
  }[];
}

/**
 * The item's manifest: its register record and every stored object with a SHA-256 computed from
 * the stored bytes now. With the objects it is enough to rebuild the register.
 */
export async function buildManifest(
  store: ObjectStore,
  item: Item,
  pages: Page[],
  numbering: { series: string; seq: number } | null = null,
): Promise<ItemManifest> {
  const objects: ManifestObject[] = [];
  const manifestKey = keys.manifest(item.id);
  for await (const o of store.list(keys.itemPrefix(item.id))) {
    if (o.key === manifestKey) continue;
    objects.push({ key: o.key, size: o.size, sha256: await store.sha256(o.key) });
  }
  const { status: _s, stage: _st, errorCode: _e, errorMessage: _m, updatedAt: _u, ...record } = item;
  return {
    manifestVersion: 1,
    item: record,
    pages: pages.map((p) => ({
      pageNo: p.pageNo,
      sourceFile: p.sourceFile,
      sourceSubpage: p.sourceSubpage,
      originalKey: p.originalKey,
      originalSha256: p.originalSha256,
      originalBytes: p.originalBytes,
      format: p.format,
      width: p.width,
      height: p.height,
      dpi: p.dpi,
      skew: p.skew,
      ocrConfidence: p.ocrConfidence,
      ocrWarning: p.ocrWarning,
      sourceKind: p.sourceKind,
      sourceRegion: p.sourceRegion,
      orientation: p.orientation,
      orientationConfidence: p.orientationConfidence,
      rotateOverride: p.rotateOverride,
    })),
    objects,
    writtenAt: new Date().toISOString(),
    numbering,
    pageResults: pages.map((p) => ({
      pageNo: p.pageNo,
      cleanWidth: p.cleanWidth,
      cleanHeight: p.cleanHeight,
      cleanDpi: p.cleanDpi,
      ocrChars: p.ocrChars,
    })),
  };
}
