import type { Request } from 'express';

/** Origin for absolute links: the configured public URL, else this request's own host. */
export function baseUrl(req: Request, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
