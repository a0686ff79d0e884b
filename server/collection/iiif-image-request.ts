/**
 * Parse an IIIF Image API 3.0 request (region/size/rotation/quality.format) against one image,
 * enforcing the size limit the item's access level allows. Pure: no pixels are touched here.
 */
import { HttpError } from '../http-error.ts';

export interface ImageRequest {
  region: { x: number; y: number; w: number; h: number };
  width: number;
  height: number;
  quality: 'default' | 'gray' | 'color';
  format: 'jpg' | 'png' | 'webp';
  /** The whole image was asked for. */
  full: boolean;
}

export const FORMATS = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;

const bad = (what: string) => new HttpError(400, `Permintaan gambar IIIF tidak sah: ${what}`);
const num = (s: string) => {
  if (!/^\d+(\.\d+)?$/.test(s)) throw bad(s);
  return Number(s);
};

/**
 * @param full   size of the source image (region coordinates are in this space)
 * @param limit  largest output the requester may have (maxWidth/maxHeight of info.json)
 */
export function parseImageRequest(
  parts: { region: string; size: string; rotation: string; file: string },
  full: { width: number; height: number },
  limit: { width: number; height: number },
): ImageRequest {
  const region = parseRegion(parts.region, full);
  if (parts.rotation !== '0') throw new HttpError(400, 'Hanya rotasi 0 yang didukung');
  const m = /^(default|gray|color)\.(jpg|png|webp)$/.exec(parts.file);
  if (!m) throw bad(parts.file);
  // The region keeps the limit's scale: cutting a quarter of the page may not exceed a quarter
  // of the largest allowed size (otherwise a read-online page could be rebuilt at full
  // resolution). Upscaling (^) may go up to the limit itself: it adds no detail.
  const scale = Math.min(1, limit.width / full.width, limit.height / full.height);
  const natural = {
    width: Math.max(1, Math.round(region.w * scale)),
    height: Math.max(1, Math.round(region.h * scale)),
  };
  const { width, height } = parseSize(parts.size, region, natural, limit);
  return {
    region,
    width,
    height,
    quality: m[1] as ImageRequest['quality'],
    format: m[2] as ImageRequest['format'],
    full: region.x === 0 && region.y === 0 && region.w === full.width && region.h === full.height,
  };
}

function parseRegion(s: string, full: { width: number; height: number }): ImageRequest['region'] {
  if (s === 'full') return { x: 0, y: 0, w: full.width, h: full.height };
  if (s === 'square') {
    const side = Math.min(full.width, full.height);
    return {
      x: Math.floor((full.width - side) / 2),
      y: Math.floor((full.height - side) / 2),
      w: side,
      h: side,
    };
  }
  const pct = s.startsWith('pct:');
  const nums = (pct ? s.slice(4) : s).split(',');
  if (nums.length !== 4) throw bad(s);
  let [x, y, w, h] = nums.map(num) as [number, number, number, number];
  if (pct) {
    x = (x * full.width) / 100;
    y = (y * full.height) / 100;
    w = (w * full.width) / 100;
    h = (h * full.height) / 100;
  }
  x = Math.round(x);
  y = Math.round(y);
  if (w <= 0 || h <= 0 || x >= full.width || y >= full.height) throw bad(s);
  w = Math.min(Math.round(w), full.width - x);
  h = Math.min(Math.round(h), full.height - y);
  if (w < 1 || h < 1) throw bad(s);
  return { x, y, w, h };
}

function parseSize(
  s: string,
  region: { w: number; h: number },
  natural: { width: number; height: number },
  limit: { width: number; height: number },
): { width: number; height: number } {
  const upscale = s.startsWith('^');
  const max = upscale ? limit : natural;
  const body = upscale ? s.slice(1) : s;
  const ratio = region.w / region.h;
  let width: number;
  let height: number;
  if (body === 'max') {
    ({ width, height } = max);
  } else if (body.startsWith('pct:')) {
    const p = num(body.slice(4));
    width = Math.round((region.w * p) / 100);
    height = Math.round((region.h * p) / 100);
  } else {
    const confined = body.startsWith('!');
    const [ws = '', hs = ''] = (confined ? body.slice(1) : body).split(',');
    if (ws === '' && hs === '') throw bad(s);
    const w = ws === '' ? null : num(ws);
    const h = hs === '' ? null : num(hs);
    if (confined) {
      if (w === null || h === null) throw bad(s);
      const f = Math.min(w / region.w, h / region.h);
      width = Math.round(region.w * f);
      height = Math.round(region.h * f);
    } else if (w !== null && h !== null) {
      width = w;
      height = h;
    } else if (w !== null) {
      width = w;
      height = Math.round(w / ratio);
    } else {
      height = h as number;
      width = Math.round(height * ratio);
    }
  }
  width = Math.max(1, Math.round(width));
  height = Math.max(1, Math.round(height));
  if (!upscale && (width > region.w || height > region.h) && body !== 'max') {
    throw bad(`${s} is larger than the region; use ^ to upscale`);
  }
  // Tolerate one pixel of rounding between a client's arithmetic and ours.
  if (width > max.width + 1 || height > max.height + 1) {
    throw new HttpError(403, 'Ukuran gambar melebihi batas untuk item ini');
  }
  return { width, height };
}
