/**
 * Orientation of a decoded greyscale page, measured on a small copy (see orientation.ts): ~120
 * dpi for an A4 page, enough for body text and a few tens of milliseconds to analyse. A page of
 * tiny print that left the first look unsure is looked at again on a copy twice as fine.
 */
import sharp from 'sharp';
import {
  MIN_ORIENTATION_CONFIDENCE,
  measureOrientation,
  type OrientationMeasurement,
} from './orientation.ts';

/** Long side of the copy measured first (A4 at ~120 dpi). */
const SAMPLE_LONG_SIDE = 1400;
/** Letters smaller than this (pixels, about the x-height) are measured again at twice the size. */
const MIN_LETTER_PX = 7;

async function sample(data: Uint8Array, width: number, height: number, longSide: number) {
  const scale = longSide / Math.max(width, height);
  if (scale >= 1) return { data, width, height, scaled: false };
  const out = await sharp(data, { raw: { width, height, channels: 1 }, limitInputPixels: false })
    .resize({
      width: Math.max(1, Math.round(width * scale)),
      height: Math.max(1, Math.round(height * scale)),
      // Box shrink then linear: a third of lanczos's cost, and letters keep their outlines.
      kernel: 'linear',
    })
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.length),
    width: out.info.width,
    height: out.info.height,
    scaled: true,
  };
}

export async function detectOrientation(
  data: Uint8Array,
  width: number,
  height: number,
): Promise<OrientationMeasurement> {
  let s = await sample(data, width, height, SAMPLE_LONG_SIDE);
  let m = measureOrientation(s.data, s.width, s.height);
  // Only an unsure answer is worth a second, four times dearer look.
  if (s.scaled && m.confidence < MIN_ORIENTATION_CONFIDENCE && m.letterSize < MIN_LETTER_PX) {
    s = await sample(data, width, height, SAMPLE_LONG_SIDE * 2);
    m = measureOrientation(s.data, s.width, s.height);
  }
  return m;
}
