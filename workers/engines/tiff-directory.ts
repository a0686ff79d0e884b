/**
 * Walks the chain of image directories (IFDs) of a classic TIFF once, in JS: page sizes and whether
 * every page's data lies inside the file. libvips re-reads the whole chain each time it opens one
 * page, so asking it about each page of a long multi-page TIFF costs time quadratic in the page
 * count (74 s for 2,000 tiny pages); this is linear.
 */

export interface TiffPage {
  width: number;
  height: number;
  /** Pixels per inch from XResolution, if recorded in inches or centimetres. */
  density: number | null;
  /** False when some strip or tile of the page lies (partly) past the end of the file. */
  complete: boolean;
}

const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  16: 8,
};

/**
 * The pages of a classic (not Big) TIFF, at most `maxPages + 1` of them (enough to know the limit is
 * passed), or null when the file is not a classic TIFF this reader understands.
 */
export function readTiffDirectory(bytes: Uint8Array, maxPages: number): TiffPage[] | null {
  if (bytes.length < 8) return null;
  const le = bytes[0] === 0x49 && bytes[1] === 0x49;
  const be = bytes[0] === 0x4d && bytes[1] === 0x4d;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!(le || be) || view.getUint16(2, le) !== 42) return null;
  const u16 = (o: number) => view.getUint16(o, le);
  const u32 = (o: number) => view.getUint32(o, le);
  const pages: TiffPage[] = [];
  const seen = new Set<number>();
  let ifd = u32(4);
  while (ifd !== 0 && pages.length <= maxPages) {
    // A directory chain that loops back or points outside the file ends the walk: the file is damaged.
    if (seen.has(ifd) || ifd + 2 > bytes.length)
      return [...pages, { width: 0, height: 0, density: null, complete: false }];
    seen.add(ifd);
    const count = u16(ifd);
    if (ifd + 2 + count * 12 + 4 > bytes.length)
      return [...pages, { width: 0, height: 0, density: null, complete: false }];
    const values = (entry: number): number[] => {
      const type = u16(entry + 2);
      const n = u32(entry + 4);
      const size = TYPE_SIZE[type] ?? 0;
      if (size === 0 || n === 0 || n > 1_000_000) return [];
      const at = n * size <= 4 ? entry + 8 : u32(entry + 8);
      if (at + n * size > bytes.length) return [Number.NaN];
      const out: number[] = [];
      for (let k = 0; k < n; k++) {
        const o = at + k * size;
        if (type === 3) out.push(u16(o));
        else if (type === 4) out.push(u32(o));
        else if (type === 5) out.push(u32(o) / Math.max(1, u32(o + 4)));
        else out.push(bytes[o] as number);
      }
      return out;
    };
    const tags = new Map<number, number[]>();
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      const tag = u16(entry);
      if ([256, 257, 273, 279, 282, 296, 324, 325].includes(tag)) tags.set(tag, values(entry));
    }
    const one = (tag: number) => tags.get(tag)?.[0] ?? Number.NaN;
    const offsets = tags.get(273) ?? tags.get(324) ?? [];
    const counts = tags.get(279) ?? tags.get(325) ?? [];
    const complete =
      offsets.length > 0 &&
      offsets.length === counts.length &&
      offsets.every((o, k) => Number.isFinite(o) && o + (counts[k] as number) <= bytes.length);
    const res = one(282);
    const unit = tags.get(296)?.[0] ?? 2;
    const density = Number.isFinite(res) && res > 0 && unit !== 1 ? (unit === 3 ? res * 2.54 : res) : null;
    pages.push({ width: one(256), height: one(257), density, complete });
    ifd = u32(ifd + 2 + count * 12);
  }
  return pages;
}
