import type { Request } from 'express';

/** Origin for absolute links: the configured public URL, else this request's own host. */
export function baseUrl(req: Request, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/**
 * Cache-Control for an answer holding absolute links. Taken from the Host header (no public URL
 * configured), they are whatever the client claimed: a shared cache must not keep them for others
 * (`Vary: Host` is no help with caches that key on their own host name), only the browser may.
 */
export function linkedCacheControl(publicUrl: string | undefined, maxAgeSeconds: number): string {
  return `${publicUrl ? 'public' : 'private'}, max-age=${maxAgeSeconds}`;
}
