import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { PindaiError } from '../../core/errors.ts';
import { makePage, SAMPLE_TEXT } from '../../test/fixtures/make-page.ts';
import { measureSkew } from './deskew.ts';
import { cleanPage, corrupt, endsShort, probeImage, sniffFormat } from './page-image.ts';

const T = SAMPLE_TEXT;
const ONE_COLUMN = [`${T.id1} ${T.id2} ${T.en1} ${T.id3} ${T.id1} ${T.id2}`];
const TWO_COLUMNS = [`${T.id1} ${T.id2} ${T.id3}`, `${T.id3} ${T.en1} ${T.id2}`];
const MAX_PIXELS = 40_000_000;

interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

async function grey(image: Buffer): Promise<Grey> {
  const { data, info } = await sharp(image).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(1);
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

async function residualSkew(image: Buffer): Promise<number> {
  const { data, info } = await sharp(image)
    .resize({ width: 1000, withoutEnlargement: true })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return measureSkew(new Uint8Array(data), info.width, info.height).angle;
}

/** Mean brightness of the `depth` outermost rows/columns on each side. */
function edgeMeans(g: Grey, depth = 3) {
  const mean = (x0: number, y0: number, x1: number, y1: number) => {
    let s = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += g.data[y * g.width + x] as number;
    return s / ((x1 - x0) * (y1 - y0));
  };
  return {
    left: mean(0, 0, depth, g.height),
    top: mean(0, 0, g.width, depth),
    right: mean(g.width - depth, 0, g.width, g.height),
    bottom: mean(0, g.height - depth, g.width, g.height),
  };
}

function countBelow(g: Grey, level: number, x0 = 0, x1 = g.width): number {
  let n = 0;
  for (let y = 0; y < g.height; y++) {
    for (let x = x0; x < x1; x++) if ((g.data[y * g.width + x] as number) < level) n++;
  }
  return n;
}

function percentile(g: Grey, fraction: number, x0 = 0, x1 = g.width): number {
  const values: number[] = [];
  for (let y = 0; y < g.height; y += 3)
    for (let x = x0; x < x1; x += 3) values.push(g.data[y * g.width + x] as number);
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length * fraction)] as number;
}

async function rejection(p: Promise<unknown>): Promise<PindaiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PindaiError);
  return err as PindaiError;
}

/** A PNG whose header claims `width` x `height` but whose data is a 1x1 image (a decompression bomb). */
function lyingPng(tiny: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(tiny);
  // IHDR is the first chunk: length(4) type(4) at 8, data at 16 (width, height), CRC after 13 bytes.
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

describe('probeImage', () => {
  let jpeg: Buffer;
  beforeAll(async () => {
    jpeg = await makePage({ columns: ONE_COLUMN });
  });

  it('identifies JPEG, PNG and TIFF by content and reports size and density', async () => {
    for (const format of ['jpeg', 'png', 'tiff'] as const) {
      const file = await makePage({ columns: ONE_COLUMN, format });
      const probe = await probeImage(file, { maxPixels: MAX_PIXELS });
      expect(probe).toMatchObject({
        format,
        pages: 1,
        width: 1240,
        height: 1500,
        density: 200,
        depth: 'uchar',
      });
      expect(probe.channels).toBeGreaterThanOrEqual(3);
      expect(sniffFormat(file)).toBe(format);
    }
  });

  it('rejects an empty file', async () => {
    expect((await rejection(probeImage(Buffer.alloc(0), { maxPixels: MAX_PIXELS }))).code).toBe(
      'image_empty',
    );
  });

  it('rejects a PDF or an SVG whatever the file is called', async () => {
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );
    const svg = Buffer.from(
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100"/></svg>',
    );
    for (const file of [pdf, svg, Buffer.from('GIF89a....')]) {
      expect((await rejection(probeImage(file, { maxPixels: MAX_PIXELS }))).code).toBe('image_unsupported');
      expect((await rejection(cleanPage(file, { maxPixels: MAX_PIXELS }))).code).toBe('image_unsupported');
    }
  });

  it('rejects truncated files as corrupt', async () => {
    const png = await makePage({ columns: ONE_COLUMN, format: 'png' });
    for (const cut of [jpeg.subarray(0, jpeg.length >> 1), png.subarray(0, png.length >> 1)]) {
      expect((await rejection(probeImage(cut, { maxPixels: MAX_PIXELS }))).code).toBe('image_corrupt');
    }
  });

  it('rejects pixel bombs before decoding them', async () => {
    // A real, valid image that compresses to almost nothing...
    const flat = await sharp({
      create: { width: 8000, height: 8000, channels: 3, background: '#ffffff' },
      limitInputPixels: false,
    })
      .png()
      .toBuffer();
    expect(flat.length).toBeLessThan(1_000_000);
    const err = await rejection(probeImage(flat, { maxPixels: 20_000_000 }));
    expect(err.code).toBe('image_too_large');
    expect(err.params).toEqual({ width: 8000, height: 8000, maxPixels: 20_000_000 });
    // ...and a header that lies about a tiny payload.
    const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const liar = lyingPng(tiny, 100_000, 100_000);
    expect((await rejection(probeImage(liar, { maxPixels: MAX_PIXELS }))).code).toBe('image_too_large');
    expect((await rejection(cleanPage(liar, { maxPixels: MAX_PIXELS }))).code).toBe('image_too_large');
  });

  it('accepts 16-bit, CMYK and 1-bit CCITT G4 scans, and cleanPage reads them as dark text on paper', async () => {
    const page = await makePage({ columns: ONE_COLUMN, format: 'png' });
    const variants = {
      grey16: await sharp(page).toColourspace('grey16').tiff({ compression: 'lzw' }).toBuffer(),
      cmykJpeg: await sharp(page).toColourspace('cmyk').jpeg().toBuffer(),
      cmykTiff: await sharp(page).toColourspace('cmyk').tiff().toBuffer(),
      g4: await sharp(page)
        .threshold(128)
        .extractChannel(0)
        .tiff({ compression: 'ccittfax4', bitdepth: 1 })
        .toBuffer(),
    };
    const probes = Object.fromEntries(
      await Promise.all(
        Object.entries(variants).map(
          async ([k, v]) => [k, await probeImage(v, { maxPixels: MAX_PIXELS })] as const,
        ),
      ),
    );
    expect(probes.grey16).toMatchObject({ format: 'tiff', depth: 'ushort' });
    expect(probes.cmykJpeg).toMatchObject({ format: 'jpeg', channels: 4 });
    expect(probes.cmykTiff).toMatchObject({ format: 'tiff', channels: 4 });
    expect(probes.g4).toMatchObject({ format: 'tiff', channels: 1 });
    const reference = countBelow(await grey((await cleanPage(page, { maxPixels: MAX_PIXELS })).access), 128);
    for (const [name, file] of Object.entries(variants)) {
      const out = await grey((await cleanPage(file, { maxPixels: MAX_PIXELS })).access);
      expect(out.width, name).toBe(1240);
      expect(percentile(out, 0.5), name).toBeGreaterThan(235); // paper, not inverted or black
      const ink = countBelow(out, 128);
      expect(ink / reference, name).toBeGreaterThan(0.6);
      expect(ink / reference, name).toBeLessThan(1.6);
    }
  });

  it('counts the pages of a multi-page TIFF, and cleanPage picks the requested one', async () => {
    const first = await makePage({ columns: ONE_COLUMN, format: 'png' });
    const second = await makePage({
      columns: TWO_COLUMNS,
      skewDeg: 2,
      format: 'png',
      width: 1180,
      height: 1440,
    });
    // Same frame size for both pages (the second is larger after its rotation).
    const size = { width: 1300, height: 1560, fit: 'contain' as const, background: '#f6f0e2' };
    const pages = await Promise.all([first, second].map((p) => sharp(p).resize(size).png().toBuffer()));
    const tiff = await sharp(pages, { join: { animated: true } })
      .tiff({ compression: 'lzw' })
      .toBuffer();
    expect((await probeImage(tiff, { maxPixels: MAX_PIXELS })).pages).toBe(2);

    const p0 = await cleanPage(tiff, { maxPixels: MAX_PIXELS });
    const p1 = await cleanPage(tiff, { page: 1, maxPixels: MAX_PIXELS });
    const alone = await cleanPage(pages[1] as Buffer, { maxPixels: MAX_PIXELS });
    expect(Math.abs(p0.skewDegrees)).toBeLessThan(0.3);
    expect(Math.abs(p1.skewDegrees - 2)).toBeLessThan(0.3);
    expect(p1.skewDegrees).toBeCloseTo(alone.skewDegrees, 3);
    const [a, b] = await Promise.all([grey(p1.access), grey(alone.access)]);
    let diff = 0;
    for (let i = 0; i < a.data.length; i++) diff += Math.abs((a.data[i] as number) - (b.data[i] as number));
    expect(diff / a.data.length).toBeLessThan(2);

    expect((await rejection(cleanPage(tiff, { page: 2, maxPixels: MAX_PIXELS }))).code).toBe(
      'image_page_missing',
    );
  });
});

describe('cleanPage', () => {
  for (const [label, columns] of [
    ['one-column', ONE_COLUMN],
    ['two-column', TWO_COLUMNS],
  ] as const) {
    for (const deg of [-3, -1.2, 0.4, 2.5]) {
      it(`straightens a ${label} page skewed ${deg}°`, async () => {
        const page = await makePage({ columns: [...columns], title: 'Profil Perpustakaan', skewDeg: deg });
        const out = await cleanPage(page, { maxPixels: MAX_PIXELS });
        expect(Math.abs(out.skewDegrees - deg)).toBeLessThan(0.3);
        expect(Math.abs(await residualSkew(out.access))).toBeLessThan(0.5);
      });
    }
  }

  it('leaves a slight skew on a 1-bit scan (resampling its edges costs OCR more) but not a large one', async () => {
    for (const deg of [0.5, -2]) {
      const page = await makePage({ columns: ONE_COLUMN, skewDeg: deg, format: 'png' });
      const bilevel = await sharp(page)
        .greyscale()
        .threshold(140)
        .png({ palette: true, colours: 2 })
        .toBuffer();
      expect((await sharp(bilevel).metadata()).bitsPerSample).toBe(1);
      const out = await cleanPage(bilevel, { maxPixels: MAX_PIXELS });
      if (Math.abs(deg) < 1) expect(out.skewDegrees).toBe(0);
      else expect(Math.abs(out.skewDegrees - deg)).toBeLessThan(0.3);
    }
  });

  it('removes dark scanner-bed borders without leaving a dark band', async () => {
    const border = { left: 60, top: 40, right: 30, bottom: 80 };
    const page = await makePage({ columns: TWO_COLUMNS, border });
    const out = await cleanPage(page, { maxPixels: MAX_PIXELS });
    for (const side of ['left', 'top', 'right', 'bottom'] as const) {
      expect(out.crop[side], side).toBeGreaterThanOrEqual(border[side]);
      expect(out.crop[side], side).toBeLessThanOrEqual(border[side] + 12);
    }
    expect(out.width).toBe(1240 + 90 - out.crop.left - out.crop.right);
    expect(out.height).toBe(1500 + 120 - out.crop.top - out.crop.bottom);
    const edges = edgeMeans(await grey(out.access));
    for (const [side, v] of Object.entries(edges)) expect(v, side).toBeGreaterThan(225);
  });

  it('removes borders of a skewed page and leaves no rotation wedges', async () => {
    const page = await makePage({ columns: ONE_COLUMN, skewDeg: -2.5, border: { left: 70, bottom: 50 } });
    const out = await cleanPage(page, { maxPixels: MAX_PIXELS });
    expect(out.crop.left).toBeGreaterThanOrEqual(70);
    expect(out.crop.bottom).toBeGreaterThanOrEqual(50);
    expect(out.crop.top).toBe(0);
    expect(out.crop.right).toBe(0);
    const g = await grey(out.access);
    for (const [side, v] of Object.entries(edgeMeans(g))) expect(v, side).toBeGreaterThan(225);
    // Corners are where rotation wedges would be.
    const corner = (x0: number, y0: number) => {
      let s = 0;
      for (let y = y0; y < y0 + 20; y++)
        for (let x = x0; x < x0 + 20; x++) s += g.data[y * g.width + x] as number;
      return s / 400;
    };
    for (const c of [
      corner(0, 0),
      corner(g.width - 20, 0),
      corner(0, g.height - 20),
      corner(g.width - 20, g.height - 20),
    ]) {
      expect(c).toBeGreaterThan(225);
    }
  });

  it('paints over the scanner bed around a tilted page instead of rotating it into dark strips', async () => {
    // A page tilted on a larger dark bed, framed so that the bed shows as wedges at the corners.
    const flat = await makePage({ columns: TWO_COLUMNS, format: 'png' });
    const tilted = await sharp(flat).rotate(2.2, { background: '#18181a' }).png().toBuffer();
    const { width = 0, height = 0 } = await sharp(tilted).metadata();
    const framed = await sharp(tilted)
      .extract({
        left: Math.round((width - 1240) / 2) + 25,
        top: Math.round((height - 1500) / 2),
        width: 1240,
        height: 1500,
      })
      .jpeg({ quality: 90 })
      .toBuffer();
    const g = await grey(framed);
    expect(edgeMeans(g).top).toBeLessThan(200); // the wedges are really there
    const out = await cleanPage(framed, { maxPixels: MAX_PIXELS });
    expect(Math.abs(out.skewDegrees - 2.2)).toBeLessThan(0.3);
    const clean = await grey(out.access);
    for (const [side, v] of Object.entries(edgeMeans(clean, 6))) expect(v, side).toBeGreaterThan(225);
    // No dark pixels at all in the outer 1 % frame, where the bed was.
    const m = Math.round(clean.width * 0.01);
    let dark = 0;
    for (let y = 0; y < clean.height; y++) {
      for (let x = 0; x < clean.width; x++) {
        const inFrame = x < m || y < m || x >= clean.width - m || y >= clean.height - m;
        if (inFrame && (clean.data[y * clean.width + x] as number) < 128) dark++;
      }
    }
    expect(dark).toBeLessThan(50);
  });

  it('does not crop a page that has no borders, and keeps its text', async () => {
    const page = await makePage({ columns: TWO_COLUMNS, title: 'Daftar Koleksi' });
    const out = await cleanPage(page, { maxPixels: MAX_PIXELS });
    expect(out.crop).toEqual({ left: 0, top: 0, right: 0, bottom: 0 });
    expect([out.width, out.height]).toEqual([1240, 1500]);
    const before = countBelow(await grey(page), 128);
    const after = countBelow(await grey(out.access), 128);
    expect(after / before).toBeGreaterThan(0.7);
    expect(after / before).toBeLessThan(1.4);
  });

  it('flattens yellowed paper and a deep shadow to white but keeps the shadowed text, in greyscale', async () => {
    const paper = { r: 214, g: 190, b: 140 };
    const page = await makePage({ columns: TWO_COLUMNS, paper, format: 'png' });
    const { width, height } = await sharp(page).metadata();
    const w = width ?? 0;
    const h = height ?? 0;
    // Lighting falls from 100 % on the left to 45 % on the right (a book-gutter shadow).
    const light = Buffer.alloc(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) light[y * w + x] = Math.round(255 * (1 - 0.55 * (x / w) ** 2));
    const lightPng = await sharp(light, { raw: { width: w, height: h, channels: 1 } })
      .toColourspace('srgb')
      .png()
      .toBuffer();
    const shaded = await sharp(page)
      .composite([{ input: lightPng, blend: 'multiply' }])
      .jpeg({ quality: 90 })
      .toBuffer();
    const input = await grey(shaded);
    const out = await grey((await cleanPage(shaded, { maxPixels: MAX_PIXELS })).access);
    const right = [Math.round(w * 0.55), Math.round(w * 0.9)] as const;
    expect(percentile(input, 0.5, ...right)).toBeLessThan(150); // the shadow really is dark
    expect(percentile(out, 0.5)).toBeGreaterThan(240); // paper is white everywhere...
    expect(percentile(out, 0.5, ...right)).toBeGreaterThan(240); // ...including in the shadow
    // The right column's text survives: as much ink as in the same page without the shadow.
    const unshaded = await grey((await cleanPage(page, { maxPixels: MAX_PIXELS })).access);
    const ink = countBelow(out, 128, ...right);
    const reference = countBelow(unshaded, 128, ...right);
    expect(reference).toBeGreaterThan(1000);
    expect(ink / reference).toBeGreaterThan(0.7);
    // Greyscale, not a binarised image: plenty of intermediate levels on stroke edges.
    const levels = new Set(out.data);
    expect(levels.size).toBeGreaterThan(64);
  });

  it('writes a greyscale access image (what OCR reads) at full size and smaller web/thumbnail JPEGs', async () => {
    const page = await makePage({ columns: ONE_COLUMN, skewDeg: 1, border: { top: 30 } });
    const out = await cleanPage(page, { maxPixels: MAX_PIXELS });
    const [access, web, thumb] = await Promise.all(
      [out.access, out.web, out.thumb].map((b) => sharp(b).metadata()),
    );
    expect(access).toMatchObject({ format: 'jpeg', channels: 1, width: out.width, height: out.height });
    expect(web?.format).toBe('jpeg');
    expect(web?.width).toBeLessThanOrEqual(1400);
    expect(thumb).toMatchObject({ format: 'jpeg', width: 240 });
    expect(out.dpi).toBe(200);
  });

  it('takes the resolution from the text when the file has no density, or one the text contradicts', async () => {
    const page = await makePage({ columns: ONE_COLUMN, format: 'png' }); // 200 dpi, 11 pt
    const bare = await sharp(page).jpeg().toBuffer(); // metadata stripped
    expect((await cleanPage(bare, { maxPixels: MAX_PIXELS })).dpi).toBe(200);
    // A 300 dpi page shrunk to a third by a tool that kept the 300 dpi tag.
    const big = await makePage({ columns: ONE_COLUMN, dpi: 300, width: 1740, height: 2490, format: 'png' });
    const shrunk = await sharp(big).resize({ width: 580 }).withMetadata({ density: 300 }).png().toBuffer();
    expect((await sharp(shrunk).metadata()).density).toBe(300);
    const out = await cleanPage(shrunk, { maxPixels: MAX_PIXELS });
    expect(out.dpi).toBeGreaterThanOrEqual(90);
    expect(out.dpi).toBeLessThanOrEqual(125);
  });

  it('falls back to 300 dpi when neither the file nor the text tells the resolution', async () => {
    const blank = await sharp({ create: { width: 800, height: 1100, channels: 3, background: '#f4efe4' } })
      .jpeg()
      .toBuffer();
    expect((await cleanPage(blank, { maxPixels: MAX_PIXELS })).dpi).toBe(300);
  });

  it('applies the EXIF orientation before anything else', async () => {
    const page = await makePage({ columns: ONE_COLUMN, format: 'png' });
    const rotated = await sharp(page).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    // A page turn of 0 keeps orientation detection out of it: only the EXIF tag turned the page.
    const out = await cleanPage(rotated, { maxPixels: MAX_PIXELS, pageTurn: 0 });
    expect([out.width, out.height]).toEqual([1500, 1240]);
  });

  it('reads transparent areas of a scan as paper', async () => {
    const page = await grey(await makePage({ columns: ONE_COLUMN, format: 'png' }));
    // Opaque ink on transparent paper, as some cleaning tools export it: grey + alpha = 255 - grey.
    const ga = Buffer.alloc(page.data.length * 2);
    page.data.forEach((v, i) => {
      ga[2 * i] = v;
      ga[2 * i + 1] = 255 - v;
    });
    const transparent = await sharp(ga, { raw: { width: page.width, height: page.height, channels: 2 } })
      .png()
      .toBuffer();
    expect((await sharp(transparent).metadata()).hasAlpha).toBe(true);
    const out = await grey((await cleanPage(transparent, { maxPixels: MAX_PIXELS })).access);
    expect(percentile(out, 0.5)).toBeGreaterThan(240);
    expect(countBelow(out, 128)).toBeGreaterThan(0.5 * countBelow(page, 128));
  });

  it('measures ink: a blank scan (paper, shadow, specks) reads as blank, a page with one line does not', async () => {
    const blank = await sharp({
      create: { width: 1240, height: 1500, channels: 3, background: { r: 246, g: 240, b: 226 } },
    })
      .extend({ left: 20, background: { r: 22, g: 22, b: 24 } })
      .jpeg()
      .toBuffer();
    const specked = await sharp(blank)
      .composite(
        [40, 400, 900].map((x) => ({
          input: { create: { width: 3, height: 3, channels: 3 as const, background: '#222' } },
          left: x,
          top: x + 100,
        })),
      )
      .jpeg()
      .toBuffer();
    const oneLine = await makePage({
      columns: ['Halaman ini sengaja dikosongkan.'],
      width: 1240,
      height: 1500,
    });
    expect((await cleanPage(blank, { maxPixels: MAX_PIXELS })).inkShare).toBeLessThan(0.0003);
    expect((await cleanPage(specked, { maxPixels: MAX_PIXELS })).inkShare).toBeLessThan(0.0003);
    expect((await cleanPage(oneLine, { maxPixels: MAX_PIXELS })).inkShare).toBeGreaterThan(0.0006);
  });
});

describe('a damaged image named in a word', () => {
  it('is "truncated" when any line of the decoder message says so, not only the first', () => {
    // libvips' error buffer is shared by the process: an earlier operation's line can come first.
    const stale = new Error(
      'VipsJpeg: Corrupt JPEG data: 2 extraneous bytes before marker 0xd9\nVipsJpeg: premature end of JPEG image',
    );
    expect(corrupt(stale, 'Cannot decode image (page 1)').params.damage).toBe('truncated');
    expect(corrupt(new Error('VipsJpeg: Bogus marker length'), 'x').params.damage).toBe('garbled');
  });

  it('is "truncated" when the file has no end, whatever the message (another operation may have cleared it)', async () => {
    const jpeg = await makePage({ columns: [SAMPLE_TEXT.id1], width: 600, height: 400 });
    const png = await sharp(jpeg).png().toBuffer();
    const vague = new Error('jpegload_buffer: unable to read from buffer');
    for (const whole of [jpeg, png]) {
      expect(endsShort(whole)).toBe(false);
      expect(corrupt(vague, 'x', whole).params.damage).toBe('garbled');
      const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
      expect(endsShort(cut)).toBe(true);
      expect(corrupt(vague, 'x', cut).params.damage).toBe('truncated');
    }
    // And through the real decoder: a cut-off JPEG is named so by cleanPage.
    const cut = jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
    const err = await cleanPage(cut, { maxPixels: MAX_PIXELS }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'image_corrupt', params: { damage: 'truncated' } });
  });
});
