import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../core/register/users.queries.ts';
import { staffDepsOf } from '../scripts/staff-deps.ts';
import { createStaffContext } from '../server/staff/staff.context.ts';
import { staffRouteTable } from '../server/staff/staff.routes.ts';
import { writeBatch } from './support/fixture-batches.ts';
import { withRegisterSql } from './support/register-sql.ts';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';

const ROLES: Role[] = ['admin', 'staf', 'operator'];

/** Accounts, sessions, CSRF, rate limits and the role rule of every route in the table. */
describe('staff workspace: accounts, sessions and access', () => {
  let s: StaffServer;
  const pw: Record<string, string> = {};
  const ids: Record<string, number> = {};
  let itemId = '';

  beforeAll(async () => {
    s = await startStaffServer();
    for (const role of ROLES) {
      const u = await s.addUser(`${role}1`, role);
      pw[role] = u.password;
      ids[role] = u.id;
    }
    const batch = await writeBatch(
      path.join(s.root, 'src'),
      'Buku Uji',
      [{ columns: ['Halaman uji.'], width: 400, height: 500 }],
      {
        metadata: { title: 'Buku Uji Akses' },
      },
    );
    const r = await s.pindai.accept(batch.dir, { intake: 'ingest', disposition: { kind: 'keep' } });
    itemId = r.item?.id ?? '';
    expect(itemId).not.toBe('');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('signs in with a fresh HttpOnly, SameSite session cookie and a new id each time', async () => {
    const c = new StaffClient(s.base);
    const page = await c.get('/staf/');
    expect(page.status).toBe(303);
    expect(page.location).toMatch(/^\/staf\/masuk\?lanjut=/);
    const r = await c.login('admin1', pw.admin!);
    expect(r.status).toBe(303);
    const setCookie = r.headers.getSetCookie().find((x) => x.startsWith('pindai_sesi='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\/staf/);
    expect(setCookie).not.toMatch(/Secure/i);
    const first = c.cookies.get('pindai_sesi')!;
    expect((await c.get('/staf/')).status).toBe(200);

    // Signing in again gives a new id; the old one stops working.
    await c.login('admin1', pw.admin!);
    const second = c.cookies.get('pindai_sesi')!;
    expect(second).not.toBe(first);
    const old = new StaffClient(s.base);
    old.cookies.set('pindai_sesi', first);
    expect((await old.get('/staf/')).status).toBe(303);

    // The register stores only a hash of the id.
    const row = withRegisterSql(s.pindai.config.registerPath, (db) =>
      db.prepare('SELECT id_hash FROM sessions').all(),
    ) as { id_hash: string }[];
    expect(row.map((x) => x.id_hash)).not.toContain(second);
  });

  it('marks the cookie Secure behind a trusted TLS proxy', async () => {
    const base = await s.extraApp({ trustProxy: 1 });
    const c = new StaffClient(base);
    await c.get('/staf/masuk');
    const r = await c.request('POST', '/staf/masuk', {
      form: { _csrf: c.csrf, username: 'staf1', password: pw.staf! },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(r.status).toBe(303);
    expect(r.headers.getSetCookie().find((x) => x.startsWith('pindai_sesi='))).toMatch(/;\s*Secure/i);
  });

  it('rejects wrong passwords, unknown users and disabled accounts alike', async () => {
    const c = new StaffClient(s.base);
    expect((await c.login('admin1', 'salah-sekali-sandinya')).status).toBe(401);
    expect((await c.login('tidak-ada', 'salah-sekali-sandinya')).status).toBe(401);
    expect(c.cookies.has('pindai_sesi')).toBe(false);
  });

  it('refuses forms without the right CSRF token, also on sign-in', async () => {
    const anon = new StaffClient(s.base);
    await anon.get('/staf/masuk');
    expect(
      (await anon.post('/staf/masuk', { username: 'admin1', password: pw.admin!, _csrf: 'palsu' })).status,
    ).toBe(403);
    expect(
      (await anon.post('/staf/masuk', { username: 'admin1', password: pw.admin! }, { noCsrf: true })).status,
    ).toBe(403);

    const c = new StaffClient(s.base);
    await c.login('staf1', pw.staf!);
    expect((await c.post('/staf/keluar', {}, { noCsrf: true })).status).toBe(403);
    expect((await c.post('/staf/keluar', { _csrf: `${c.csrf}x` })).status).toBe(403);
    // Another user's token does not work either.
    const other = new StaffClient(s.base);
    await other.login('operator1', pw.operator!);
    expect((await c.post('/staf/keluar', { _csrf: other.csrf })).status).toBe(403);
    expect((await c.get('/staf/')).status).toBe(200);
    expect((await c.post('/staf/keluar')).status).toBe(303);
    expect((await c.get('/staf/')).status).toBe(303);
  });

  it('ends every session of an account when an admin disables it', async () => {
    const u = await s.addUser('operator9', 'operator');
    const a = new StaffClient(s.base);
    const b = new StaffClient(s.base);
    await a.login('operator9', u.password);
    await b.login('operator9', u.password);
    expect((await a.get('/staf/')).status).toBe(200);
    const admin = new StaffClient(s.base);
    await admin.login('admin1', pw.admin!);
    await admin.get('/staf/pengguna');
    expect((await admin.post(`/staf/pengguna/${u.id}/nonaktif`)).status).toBe(200);
    expect((await a.get('/staf/')).status).toBe(303);
    expect((await b.get('/staf/')).status).toBe(303);
    expect((await new StaffClient(s.base).login('operator9', u.password)).status).toBe(401);
    const audit = (await s.pindai.register.audit.list({ action: 'user_disable' })).map(
      ({ username, action, target }) => ({ username, action, target }),
    );
    expect(audit).toEqual([{ username: 'admin1', action: 'user_disable', target: 'user:operator9' }]);
  });

  it('ends a session after its idle time', async () => {
    const base = await s.extraApp({ staffOptions: { sessionIdleMs: 300 } });
    const c = new StaffClient(base);
    expect((await c.login('staf1', pw.staf!)).status).toBe(303);
    expect((await c.get('/staf/')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect((await c.get('/staf/')).status).toBe(303);
  });

  it('rate-limits failed sign-ins per client address', async () => {
    // Counts live in the register, shared by every app on it: this client names its own address
    // (through a trusted proxy on loopback) so the failures of the tests above do not count.
    const base = await s.extraApp({
      staffOptions: { loginMax: 3, loginWindowMs: 60_000 },
      trustProxy: 'loopback',
    });
    const c = new StaffClient(base, { 'x-forwarded-for': '203.0.113.9' });
    for (let i = 0; i < 3; i++) expect((await c.login('staf1', `salah-${i}-sandinya`)).status).toBe(401);
    const limited = await c.login('staf1', pw.staf!);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Terlalu banyak percobaan masuk');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(c.cookies.has('pindai_sesi')).toBe(false);
    // Another address still gets in with the right password.
    expect((await new StaffClient(s.base).login('staf1', pw.staf!)).status).toBe(303);
  });

  it('applies the role rule of every route in the table, for every role and when signed out', async () => {
    const table = staffRouteTable(createStaffContext(staffDepsOf(s.pindai)));
    expect(table.length).toBeGreaterThan(5);
    const fill = (p: string) =>
      p.replace('/pengguna/:id', `/pengguna/${ids.admin}`).replace(':id', itemId).replace(':no', '1');
    // Logout last: it ends the session used for the rest.
    const ordered = [...table].sort((a, b) => Number(a.path === '/keluar') - Number(b.path === '/keluar'));
    const seen: string[] = [];
    for (const who of [...ROLES, null] as (Role | null)[]) {
      const c = new StaffClient(s.base);
      if (who) expect((await c.login(`${who}1`, pw[who]!)).status).toBe(303);
      // One role walks the table in English, so both catalogues are checked for raw keys.
      await c.get(who === 'staf' ? '/staf/?lang=en' : '/staf/');
      for (const route of ordered) {
        const url = `/staf${fill(route.path)}`;
        if (route.body === 'login') {
          // The sign-in form has its own token; with no password it answers 401 from the handler.
          const saved = c.csrf;
          await c.get('/staf/masuk');
          const r = await c.post(url, { username: 'x', password: '' });
          c.csrf = saved;
          expect(r.status).toBe(401);
          expect(r.text).toMatch(/Nama pengguna atau kata sandi salah|Wrong username or password/);
          seen.push(route.path);
          continue;
        }
        const r =
          route.method === 'get'
            ? await c.get(url)
            : route.body === 'multipart'
              ? await c.request('POST', url, { headers: { 'x-csrf-token': c.csrf } })
              : await c.post(url);
        await r.res.body?.cancel().catch(() => {});
        const label = `${who ?? 'anonymous'} ${route.method.toUpperCase()} ${route.path} → ${r.status}`;
        seen.push(label);
        const allowed = route.access === 'public' || (who !== null && route.access.includes(who));
        if (allowed) {
          expect([401, 403], label).not.toContain(r.status);
          // Every word on the page came through the catalogue: no raw message keys.
          expect(r.text, label).not.toMatch(/\bst_[a-z_]+\b/);
          if (route.path !== '/keluar' && route.access !== 'public')
            expect(r.location ?? '', label).not.toMatch(/\/staf\/masuk/);
        } else if (who === null) {
          if (route.method === 'get')
            expect(r.location ?? String(r.status), label).toMatch(/^\/staf\/masuk\?lanjut=|^401$/);
          else expect(r.status, label).toBe(401);
        } else {
          expect(r.status, label).toBe(403);
        }
      }
    }
    expect(seen.length).toBe(table.length * 4);
  });
});
