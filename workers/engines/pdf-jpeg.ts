export interface JpegInfo {
  width: number;
  height: number;
  bitsPerComponent: number;
  colorSpace: 'DeviceGray' | 'DeviceRGB' | 'DeviceCMYK';
  /** Adobe APP14 marker present: CMYK samples are stored inverted and need a Decode array. */
  adobe: boolean;
}

const COLOR_SPACES = { 1: 'DeviceGray', 3: 'DeviceRGB', 4: 'DeviceCMYK' } as const;

function isSof(marker: number): boolean {
  // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * Reads what the image XObject dictionary needs from a JPEG's headers, without decoding. Respects
 * the view's byteOffset (pdf-lib's own parser does not, and fails on Buffer slices). Throws on
 * anything that is not a baseline/progressive JPEG with 1, 3 or 4 components.
 */
export function readJpegInfo(bytes: Uint8Array): JpegInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) throw new Error('not a JPEG (no SOI marker)');
  let adobe = false;
  let pos = 2;
  while (pos + 4 <= view.byteLength) {
    if (view.getUint8(pos) !== 0xff) throw new Error(`corrupt JPEG header at byte ${pos}`);
    const marker = view.getUint8(pos + 1);
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2; // markers without a length
      continue;
    }
    const length = view.getUint16(pos + 2);
    if (marker === 0xee && length >= 7) {
      adobe = String.fromCharCode(...bytes.subarray(pos + 4, pos + 9)) === 'Adobe';
    }
    if (isSof(marker)) {
      if (pos + 10 > view.byteLength) break;
      const components = view.getUint8(pos + 9);
      const colorSpace = COLOR_SPACES[components as keyof typeof COLOR_SPACES];
      if (!colorSpace) throw new Error(`unsupported JPEG with ${components} components`);
      const height = view.getUint16(pos + 5);
      const width = view.getUint16(pos + 7);
      if (!width || !height) throw new Error('JPEG frame header without a size');
      return { bitsPerComponent: view.getUint8(pos + 4), height, width, colorSpace, adobe };
    }
    if (marker === 0xda || marker === 0xd9) break; // scan data or end before any frame header
    pos += 2 + length;
  }
  throw new Error('JPEG has no frame header');
}
