import type { Request, Response } from 'express';
import type { ObjectStore } from '../core/store/object-store.ts';
import { HttpError } from './http-error.ts';

/**
 * Stream a stored object with validators and byte ranges: ETag/Last-Modified for caches,
 * a single `Range: bytes=` for PDF viewers that read on demand.
 */
export async function sendObject(
  req: Request,
  res: Response,
  store: ObjectStore,
  key: string,
  opts: { contentType: string; filename?: string; maxAge?: number },
): Promise<void> {
  const info = await store.head(key);
  if (!info) throw new HttpError(404, 'Berkas tidak ditemukan');
  const etag = `"${info.size.toString(16)}-${info.modified.getTime().toString(16)}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', info.modified.toUTCString());
  res.setHeader('Cache-Control', `public, max-age=${opts.maxAge ?? 3600}`);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', opts.contentType);
  if (opts.filename) res.setHeader('Content-Disposition', `inline; filename="${opts.filename}"`);
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  const range = req.range(info.size);
  if (Array.isArray(range) && range.length === 1 && range.type === 'bytes') {
    const { start, end } = range[0] as { start: number; end: number };
    res.status(206);
    res.setHeader('Content-Range', `bytes ${start}-${end}/${info.size}`);
    res.setHeader('Content-Length', String(end - start + 1));
    (await store.get(key, { start, end })).pipe(res);
    return;
  }
  if (range === -1) {
    res.status(416).setHeader('Content-Range', `bytes */${info.size}`).end();
    return;
  }
  res.setHeader('Content-Length', String(info.size));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  (await store.get(key)).pipe(res);
}
