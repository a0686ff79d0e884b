/**
 * Bilevel page images for the PDF: CCITT Group 4 (the fax code, PDF filter CCITTFaxDecode) holds a
 * 300 dpi text page in ~40–80 KB, a third of a 150 dpi greyscale JPEG, and stays sharp at any zoom.
 * sharp (libtiff) does the encoding; this module reads the single-strip G4 TIFF it writes and
 * hands out what the image XObject needs.
 */

export interface CcittImage {
  width: number;
  height: number;
  /** The G4 code, exactly as CCITTFaxDecode with K = -1 expects it. */
  data: Uint8Array;
  /** TIFF PhotometricInterpretation 1 (BlackIsZero): 1 bits are white, so the PDF needs BlackIs1 false inverted. */
  blackIsZero: boolean;
}

const TAG = {
  width: 256,
  height: 257,
  bitsPerSample: 258,
  compression: 259,
  photometric: 262,
  fillOrder: 266,
  stripOffsets: 273,
  rowsPerStrip: 278,
  stripByteCounts: 279,
} as const;

/** True when `bytes` start like a TIFF file. */
export function isTiff(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 8 &&
    ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0) ||
      (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 0x2a))
  );
}

/**
 * Reads a one-strip, 1-bit, Group 4 TIFF (first IFD only). Throws a plain Error on anything else:
 * several strips cannot be joined into one CCITT stream.
 */
export function readG4Tiff(bytes: Uint8Array): CcittImage {
  if (!isTiff(bytes)) throw new Error('not a TIFF');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  const u16 = (o: number) => view.getUint16(o, le);
  const u32 = (o: number) => view.getUint32(o, le);
  const ifd = u32(4);
  if (ifd + 2 > view.byteLength) throw new Error('TIFF IFD out of range');
  const count = u16(ifd);
  const tags = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > view.byteLength) throw new Error('TIFF IFD truncated');
    const tag = u16(e);
    const type = u16(e + 2);
    const n = u32(e + 4);
    const size = type === 3 ? 2 : type === 4 ? 4 : 0;
    if (size === 0 || n === 0) continue; // only SHORT/LONG values matter here
    const at = n * size <= 4 ? e + 8 : u32(e + 8);
    if (at + n * size > view.byteLength) throw new Error(`TIFF tag ${tag} out of range`);
    const values: number[] = [];
    for (let k = 0; k < n; k++) values.push(size === 2 ? u16(at + k * 2) : u32(at + k * 4));
    tags.set(tag, values);
  }
  const one = (tag: number, fallback?: number): number => {
    const v = tags.get(tag);
    if (v?.length === 1) return v[0] as number;
    if (v === undefined && fallback !== undefined) return fallback;
    throw new Error(`TIFF tag ${tag}: expected one value, got ${v?.length ?? 0}`);
  };
  if (one(TAG.compression) !== 4) throw new Error('TIFF is not CCITT Group 4');
  if (one(TAG.bitsPerSample, 1) !== 1) throw new Error('TIFF is not bilevel');
  if (one(TAG.fillOrder, 1) !== 1) throw new Error('TIFF bit order LSB-first is not supported');
  if ((tags.get(TAG.stripOffsets)?.length ?? 0) > 1) throw new Error('TIFF has more than one strip');
  const width = one(TAG.width);
  const height = one(TAG.height);
  const offset = one(TAG.stripOffsets);
  const length = one(TAG.stripByteCounts);
  if (one(TAG.rowsPerStrip, height) < height) throw new Error('TIFF has more than one strip');
  if (offset + length > view.byteLength) throw new Error('TIFF strip out of range');
  return {
    width,
    height,
    data: bytes.subarray(offset, offset + length),
    blackIsZero: one(TAG.photometric) === 1,
  };
}
