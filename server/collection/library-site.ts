/**
 * The library's own site: its name, logo, address, contact and "about" text (PINDAI_LIBRARY_*),
 * read once at start. core/config.ts has already checked the files exist and are what they claim.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { LibraryConfig, LogoType } from '../../core/config.ts';
import { type Lang, type Translator, translator } from '../../core/messages.ts';

export interface SiteLogo {
  bytes: Buffer;
  type: LogoType;
  /** Content hash: in the logo's URL (cached for a year) and its ETag. */
  hash: string;
  /** Intrinsic size when the file says it (PNG header, JPEG frame, SVG width/height or viewBox). */
  size: { width: number; height: number } | null;
}

export interface LibrarySite {
  /** Replaces the generic site name (message `site_name`) wherever it appears. */
  name?: string;
  logo?: SiteLogo;
  address: string[];
  contact: string[];
  /** The about page's text as written (rendered as escaped text, never as HTML). */
  about?: string;
}

export const NO_SITE: LibrarySite = { address: [], contact: [] };

export function loadLibrarySite(c: LibraryConfig): LibrarySite {
  const site: LibrarySite = {
    ...(c.name !== undefined && { name: c.name }),
    address: c.address,
    contact: c.contact,
  };
  if (c.logo) {
    const bytes = fs.readFileSync(c.logo.path);
    site.logo = {
      bytes,
      type: c.logo.type,
      hash: createHash('sha256').update(bytes).digest('hex').slice(0, 16),
      size: imageSize(bytes, c.logo.type),
    };
  }
  if (c.aboutPath) site.about = fs.readFileSync(c.aboutPath, 'utf8').replace(/^\uFEFF/, '');
  return site;
}

/** Width and height from the file's own header, so the header image keeps its place while loading. */
export function imageSize(b: Buffer, type: LogoType): { width: number; height: number } | null {
  if (type === 'image/png' && b.length >= 24)
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (type === 'image/jpeg') {
    // Walk the markers to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC).
    let i = 2;
    while (i + 9 < b.length && b[i] === 0xff) {
      const marker = b[i + 1] as number;
      const len = b.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
        return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
      i += 2 + len;
    }
    return null;
  }
  if (type === 'image/svg+xml') {
    const tag = /<svg\b[^>]*>/i.exec(b.toString('utf8'))?.[0] ?? '';
    const attr = (n: string) =>
      Number(new RegExp(`\\s${n}\\s*=\\s*["']\\s*([\\d.]+)(px)?\\s*["']`).exec(tag)?.[1]);
    const [w, h] = [attr('width'), attr('height')];
    if (w > 0 && h > 0) return { width: w, height: h };
    const vb = /\sviewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(tag);
    if (vb) return { width: Number(vb[1]), height: Number(vb[2]) };
  }
  return null;
}

/** One contact as a link: e-mail (mailto:), web address, phone number (tel:), else plain text. */
export function contactLink(v: string): { href: string | null; label: string } {
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return { href: `mailto:${v}`, label: v };
  if (/^https?:\/\/\S+$/i.test(v))
    return { href: v, label: v.replace(/^https?:\/\//i, '').replace(/\/$/, '') };
  if (/^(www\.)[^\s/]+\.\S+$/i.test(v)) return { href: `https://${v}`, label: v };
  if (/^\+?[\d\s().-]{6,}$/.test(v) && /\d{5}/.test(v.replace(/\D/g, '')))
    return { href: `tel:${v.replace(/[^\d+]/g, '')}`, label: v };
  return { href: null, label: v };
}

/** The page translator, with the library's name where the generic site name would be. */
export function siteTranslator(lang: Lang, site: LibrarySite): Translator {
  const tr = translator(lang);
  const name = site.name;
  return name === undefined ? tr : (key, params) => (key === 'site_name' ? name : tr(key, params));
}

/** Where the logo is served: the content hash makes the URL change when the file does. */
export const logoUrl = (logo: SiteLogo) => `/logo?v=${logo.hash}`;

/**
 * An ICO file holding one PNG image (allowed since Windows Vista, read by every browser): what
 * /favicon.ico answers, from the library's PNG logo or the default icon.
 */
export function icoOfPng(png: Buffer): Buffer {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(1, 4); // one image
  const w = png.readUInt32BE(16);
  const h = png.readUInt32BE(20);
  header.writeUInt8(w >= 256 ? 0 : w, 6); // 0 means 256 (or more)
  header.writeUInt8(h >= 256 ? 0 : h, 7);
  header.writeUInt8(0, 8); // no palette
  header.writeUInt8(0, 9);
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(22, 18); // offset of the image data
  return Buffer.concat([header, png]);
}
