import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';

/** The CSP of an answer as a map: directive → its sources. */
function csp(h: Headers): Map<string, string> {
  const m = new Map<string, string>();
  for (const d of (h.get('content-security-policy') ?? '').split(';')) {
    const [name, ...rest] = d.trim().split(/\s+/);
    if (name) m.set(name, rest.join(' '));
  }
  return m;
}

/** Security headers on every kind of answer, from the one module (server/security-headers.ts). */
describe('security headers', () => {
  let s: StaffServer;
  let proxied: string;

  beforeAll(async () => {
    s = await startStaffServer();
    // Behind a TLS-terminating proxy that the app trusts (one hop).
    proxied = await s.extraApp({ trustProxy: 1 });
  });
  afterAll(async () => {
    await s?.close();
  });

  const get = (p: string, base = s.base, headers: Record<string, string> = {}) =>
    fetch(base + p, { headers: { accept: 'text/html', ...headers }, redirect: 'manual' });

  const common = (h: Headers, p: string) => {
    expect(h.get('x-content-type-options'), p).toBe('nosniff');
    expect(h.get('x-frame-options'), p).toMatch(/^(DENY|SAMEORIGIN)$/);
    expect(h.get('referrer-policy'), p).toBeTruthy();
    expect(h.get('cross-origin-opener-policy'), p).toBe('same-origin');
    const c = csp(h);
    expect(c.get('default-src'), p).toMatch(/^'(self|none)'$/);
    expect(c.get('frame-ancestors'), p).toMatch(/^'(self|none)'$/);
    expect(c.get('base-uri'), p).toBe("'none'");
    expect(c.get('object-src') ?? c.get('default-src'), p).toMatch(/'none'|'self'/);
    // Never upgraded to HTTPS on a plain HTTP deployment (a library's intranet).
    expect(c.has('upgrade-insecure-requests'), p).toBe(false);
    expect(h.get('strict-transport-security'), p).toBeNull();
  };

  it('JSON answers (/api, /healthz, an unknown path) get them, with a CSP that allows nothing', async () => {
    for (const p of ['/api/search?q=buku', '/healthz', '/tidak-ada']) {
      const r = await get(p);
      expect([200, 404], p).toContain(r.status);
      common(r.headers, p);
      expect(csp(r.headers).get('default-src'), p).toBe("'none'");
      expect(csp(r.headers).get('frame-ancestors'), p).toBe("'none'");
    }
  });

  it('staff pages (sign-in, a 404 under /staf) keep their CSP and may not be framed', async () => {
    for (const p of ['/staf/masuk', '/staf/tidak-ada', '/STAF/masuk']) {
      const r = await get(p);
      common(r.headers, p);
      const c = csp(r.headers);
      expect(c.get('default-src'), p).toBe("'self'");
      expect(c.get('frame-ancestors'), p).toBe("'none'");
      expect(c.get('form-action'), p).toBe("'self'");
      expect(r.headers.get('x-frame-options'), p).toBe('DENY');
      expect(r.headers.get('cache-control'), p).toBe('no-store');
    }
  });

  it('collection pages (home, search, a missing item, about) keep their CSP', async () => {
    for (const p of ['/', '/cari?q=buku', '/item/tidak-ada', '/static/viewer.js', '/tentang']) {
      const r = await get(p);
      common(r.headers, p);
      const c = csp(r.headers);
      expect(c.get('default-src'), p).toBe("'self'");
      expect(c.get('script-src'), p).toBe("'self'");
      expect(c.get('frame-ancestors'), p).toBe("'self'");
      expect(r.headers.get('cross-origin-resource-policy'), p).toBe('same-origin');
    }
  });

  it('the favicon and logo, opened as documents, may run nothing (an SVG could hold a script)', async () => {
    for (const p of ['/favicon.svg', '/favicon.ico', '/logo']) {
      const r = await get(p);
      common(r.headers, p);
      expect(csp(r.headers).get('default-src'), p).toBe("'none'");
    }
  });

  it("PDFs keep what Chrome's built-in viewer needs (our own objects, inline styles)", async () => {
    for (const p of ['/item/tidak-ada/pdf', '/api/items/tidak-ada/pdf']) {
      const r = await get(p);
      common(r.headers, p);
      expect(csp(r.headers).get('object-src'), p).toBe("'self'");
      expect(csp(r.headers).get('style-src'), p).toContain("'unsafe-inline'");
    }
  });

  it('IIIF answers stay usable by viewers on other sites', async () => {
    const r = await get('/iiif/tidak-ada/p1/full/max/0/default.jpg');
    expect(r.status).toBe(404);
    common(r.headers, 'iiif');
    expect(r.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('HSTS only on a request that arrived over TLS through a trusted proxy', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    for (const p of ['/healthz', '/staf/masuk', '/']) {
      const secure = await get(p, proxied, https);
      expect(secure.headers.get('strict-transport-security'), p).toMatch(/^max-age=\d{7,}/);
      expect((await get(p, proxied)).headers.get('strict-transport-security'), p).toBeNull();
      // The header alone proves nothing when no proxy is trusted.
      expect((await get(p, s.base, https)).headers.get('strict-transport-security'), p).toBeNull();
    }
  });

  it('a signed-in staff page has them too', async () => {
    await s.addUser('sari', 'staf', 'sari-sandi-rahasia');
    const c = new StaffClient(s.base);
    expect((await c.login('sari', 'sari-sandi-rahasia')).status).toBe(303);
    const r = await c.get('/staf/');
    expect(r.status).toBe(200);
    common(r.headers, '/staf/');
    expect(csp(r.headers).get('frame-ancestors')).toBe("'none'");
  });
});
