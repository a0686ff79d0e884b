import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-error.ts';
import { parseImageRequest } from './iiif-image-request.ts';

const full = { width: 2000, height: 3000 };
const parse = (region: string, size: string, limit = full, file = 'default.jpg', rotation = '0') =>
  parseImageRequest({ region, size, rotation, file }, full, limit);
const status = (fn: () => unknown) => {
  try {
    fn();
    return 200;
  } catch (err) {
    return err instanceof HttpError ? err.status : 500;
  }
};

describe('parseImageRequest (IIIF Image API 3)', () => {
  it('reads full, square, pixel and percent regions', () => {
    expect(parse('full', 'max').region).toEqual({ x: 0, y: 0, w: 2000, h: 3000 });
    expect(parse('square', 'max').region).toEqual({ x: 0, y: 500, w: 2000, h: 2000 });
    expect(parse('100,200,300,400', 'max').region).toEqual({ x: 100, y: 200, w: 300, h: 400 });
    expect(parse('pct:10,10,50,50', 'max').region).toEqual({ x: 200, y: 300, w: 1000, h: 1500 });
    // A region running off the image is clipped to it.
    expect(parse('1900,2900,500,500', 'max').region).toEqual({ x: 1900, y: 2900, w: 100, h: 100 });
  });

  it('reads every size form, keeping the aspect ratio where asked', () => {
    expect(parse('full', '500,')).toMatchObject({ width: 500, height: 750 });
    expect(parse('full', ',600')).toMatchObject({ width: 400, height: 600 });
    expect(parse('full', '!500,500')).toMatchObject({ width: 333, height: 500 });
    expect(parse('full', 'pct:10')).toMatchObject({ width: 200, height: 300 });
    expect(parse('full', '300,300')).toMatchObject({ width: 300, height: 300 });
    expect(parse('full', 'max')).toMatchObject({ width: 2000, height: 3000, full: true });
    expect(parse('0,0,100,100', '^200,')).toMatchObject({ width: 200, height: 200, full: false });
  });

  it('caps every request at the allowed size, proportionally for regions', () => {
    const limit = { width: 1000, height: 1500 };
    expect(parse('full', 'max', limit)).toMatchObject({ width: 1000, height: 1500 });
    expect(status(() => parse('full', '1200,', limit))).toBe(403);
    // Half the page may come out at most half the capped width.
    expect(parse('0,0,1000,1000', 'max', limit)).toMatchObject({ width: 500, height: 500 });
    expect(status(() => parse('0,0,1000,1000', '1000,', limit))).toBe(403);
    // Upscaling adds no detail, so it may reach the cap but not pass it.
    expect(parse('0,0,1000,1000', '^1000,', limit)).toMatchObject({ width: 1000, height: 1000 });
    expect(status(() => parse('0,0,1000,1000', '^1200,', limit))).toBe(403);
  });

  it('rejects malformed requests with 400', () => {
    for (const [region, size, file, rot] of [
      ['0,0,0,10', 'max', 'default.jpg', '0'],
      ['5000,0,10,10', 'max', 'default.jpg', '0'],
      ['a,b,c,d', 'max', 'default.jpg', '0'],
      ['full', 'big', 'default.jpg', '0'],
      ['full', '!500,', 'default.jpg', '0'],
      ['full', '4000,', 'default.jpg', '0'],
      ['full', 'max', 'bitonal.jpg', '0'],
      ['full', 'max', 'default.gif', '0'],
      ['full', 'max', 'default.jpg', '90'],
    ] as const) {
      expect([region, size, file, rot, status(() => parse(region, size, full, file, rot))]).toEqual([
        region,
        size,
        file,
        rot,
        400,
      ]);
    }
  });
});
