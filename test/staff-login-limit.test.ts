import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pindai } from './support/run-cli.ts';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';

const WRONG = 'salah-sekali-sandinya';
const LIMITED = 'Terlalu banyak percobaan masuk';

/** A client that claims to come from `ip` (believed only behind a trusted proxy). */
const from = (base: string, ip: string) => new StaffClient(base, { 'x-forwarded-for': ip });

/** Fail `n` sign-ins to `username`, each from the next of a run of addresses. */
async function failFromRotating(base: string, username: string, n: number, net: string) {
  for (let i = 1; i <= n; i++) {
    const r = await from(base, `${net}.${i}`).login(username, WRONG);
    expect(r.status, `failure ${i} of ${username}`).toBe(401);
  }
}

function expectLimited(r: Awaited<ReturnType<StaffClient['login']>>, c: StaffClient) {
  expect(r.status).toBe(429);
  expect(r.text).toContain(LIMITED);
  expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(c.cookies.has('pindai_sesi')).toBe(false);
}

/**
 * Failed sign-ins are counted per client address and per account, in the register: a restart or a
 * second process sees them, an address claimed by an untrusted peer changes nothing, and an admin
 * (or `pindai user unlock`) can let a locked-out account in again.
 */
describe('staff sign-in limits kept in the register', () => {
  // Behind a trusted proxy on loopback: every client below names its own address. Only the limit
  // per account is low here; every main-app client sends an address, so 127.0.0.1 stays unused.
  let s: StaffServer;
  const pw: Record<string, string> = {};
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    s = await startStaffServer({
      trustProxy: 'loopback',
      staffOptions: { loginMax: 1000, loginAccountAddressMax: 1000, loginAccountMax: 3 },
    });
    for (const [name, role] of [
      ['admin1', 'admin'],
      ['staf1', 'staf'],
      ['budi', 'operator'],
      ['sari', 'operator'],
      ['dewi', 'operator'],
      ['eko', 'operator'],
    ] as const) {
      const u = await s.addUser(name, role);
      pw[name] = u.password;
      ids[name] = u.id;
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  it('limits one account guessed from rotating addresses, known or not, whatever the case', async () => {
    await failFromRotating(s.base, 'budi', 3, '203.0.113');
    const c = from(s.base, '203.0.113.50');
    expectLimited(await c.login('budi', pw.budi!), c);
    // The same account under another case or with spaces is the same account.
    const c2 = from(s.base, '203.0.113.51');
    expectLimited(await c2.login(' BUDI ', pw.budi!), c2);

    // An unknown name is counted and refused just the same: the answers do not tell which exist.
    await failFromRotating(s.base, 'tidak-ada', 3, '203.0.114');
    const u = from(s.base, '203.0.114.50');
    expectLimited(await u.login('tidak-ada', WRONG), u);

    // Other accounts, also from the very addresses used, are not touched.
    expect((await from(s.base, '203.0.113.1').login('sari', pw.sari!)).status).toBe(303);

    const audit = (await s.pindai.register.audit.list({ action: 'login_limited' })).map(
      ({ username, action, ip }) => ({ username, action, ip }),
    );
    expect(audit).toContainEqual({ username: 'budi', action: 'login_limited', ip: '203.0.113.50' });
  });

  it('lets an admin see a locked account and unlock it (audited); not staff', async () => {
    await failFromRotating(s.base, 'dewi', 3, '198.51.100');
    const dewi = from(s.base, '198.51.100.99');
    expectLimited(await dewi.login('dewi', pw.dewi!), dewi);

    const admin = from(s.base, '192.0.2.10');
    expect((await admin.login('admin1', pw.admin1!)).status).toBe(303);
    const page = await admin.get('/staf/pengguna');
    expect(page.status).toBe(200);
    const row = page.text.split('<tr>').find((r) => r.includes('<td>dewi</td>')) ?? '';
    expect(row).toContain('terkunci');
    expect(row).toContain(`/staf/pengguna/${ids.dewi}/buka-kunci`);
    // Accounts that are not locked have no unlock button.
    const sariRow = page.text.split('<tr>').find((r) => r.includes('<td>sari</td>')) ?? '';
    expect(sariRow).not.toContain('buka-kunci');

    // Staff may not unlock; a form without the token is refused.
    const staf = from(s.base, '192.0.2.11');
    expect((await staf.login('staf1', pw.staf1!)).status).toBe(303);
    expect((await staf.post(`/staf/pengguna/${ids.dewi}/buka-kunci`)).status).toBe(403);
    expect((await admin.post(`/staf/pengguna/${ids.dewi}/buka-kunci`, {}, { noCsrf: true })).status).toBe(
      403,
    );
    expectLimited(await dewi.login('dewi', pw.dewi!), dewi);

    const r = await admin.post(`/staf/pengguna/${ids.dewi}/buka-kunci`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('dewi');
    const after = (await admin.get('/staf/pengguna')).text
      .split('<tr>')
      .find((x) => x.includes('<td>dewi</td>'));
    expect(after).not.toContain('terkunci');

    expect((await dewi.login('dewi', pw.dewi!)).status).toBe(303);
    const audit = (await s.pindai.register.audit.list({ action: 'user_unlock' })).map(
      ({ username, action, target }) => ({ username, action, target }),
    );
    expect(audit).toEqual([{ username: 'admin1', action: 'user_unlock', target: 'user:dewi' }]);
  });

  it('unlocks from the command line (`pindai user unlock`) while the server runs', async () => {
    await failFromRotating(s.base, 'eko', 3, '198.51.101');
    const eko = from(s.base, '198.51.101.99');
    expectLimited(await eko.login('eko', pw.eko!), eko);

    const data = path.join(s.root, 'data');
    const r = await pindai(['--data', data, 'user', 'unlock', 'EKO']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await eko.login('eko', pw.eko!)).status).toBe(303);
    const unknown = await pindai(['--data', data, 'user', 'unlock', 'tidak-ada-sama-sekali']);
    expect(unknown.code).toBe(1);
    const audit = (await s.pindai.register.audit.list({ action: 'user_unlock' }))
      .filter((e) => e.target === 'user:eko')
      .map(({ username, action, target }) => ({ username, action, target }));
    expect(audit).toEqual([{ username: 'cli', action: 'user_unlock', target: 'user:eko' }]);
  });

  it('ignores X-Forwarded-For from an untrusted peer: rotating it does not reset the address count', async () => {
    // No trust proxy: every request below comes from 127.0.0.1, whatever address it claims.
    const base = await s.extraApp({
      staffOptions: { loginMax: 3, loginAccountAddressMax: 1000, loginAccountMax: 1000 },
    });
    for (let i = 1; i <= 3; i++) {
      expect((await from(base, `10.9.8.${i}`).login(`orang-${i}`, WRONG)).status).toBe(401);
    }
    const c = from(base, '10.9.8.200');
    expectLimited(await c.login('sari', pw.sari!), c);
  });

  it('honours X-Forwarded-For from a trusted proxy on loopback: each address has its own count', async () => {
    const base = await s.extraApp({
      trustProxy: 'loopback',
      staffOptions: { loginMax: 3, loginAccountAddressMax: 1000, loginAccountMax: 1000 },
    });
    for (let i = 1; i <= 3; i++) {
      expect((await from(base, '10.7.7.7').login(`tamu-${i}`, WRONG)).status).toBe(401);
    }
    const limited = from(base, '10.7.7.7');
    expectLimited(await limited.login('sari', pw.sari!), limited);
    expect((await from(base, '10.7.7.8').login('sari', pw.sari!)).status).toBe(303);
  });

  it("does not block a sign-in because of a stranger's failures on another account at the same address", async () => {
    // One office behind one address: a colleague's typos (or a stranger's guesses) on one account
    // lock that account there long before the whole address is closed.
    const base = await s.extraApp({
      trustProxy: 'loopback',
      staffOptions: { loginMax: 10, loginAccountAddressMax: 3, loginAccountMax: 1000 },
    });
    const office = '10.6.6.6';
    let tries = 0;
    for (; tries < 12; tries++) {
      const r = await from(base, office).login('fajar', WRONG);
      if (r.status === 429) break;
      expect(r.status).toBe(401);
    }
    expect(tries).toBe(3);
    expect((await from(base, office).login('sari', pw.sari!)).status).toBe(303);

    // A successful sign-in starts the count of that account at that address over.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) expect((await from(base, office).login('sari', WRONG)).status).toBe(401);
      expect((await from(base, office).login('sari', pw.sari!)).status).toBe(303);
    }
  });
});

describe('staff sign-in limits across restarts and processes', () => {
  it('keeps the count of an address across a restart on the same data folder', async () => {
    const a = await startStaffServer({ staffOptions: { loginMax: 3 } });
    const u = await a.addUser('budi', 'operator');
    for (let i = 0; i < 3; i++) expect((await new StaffClient(a.base).login('budi', WRONG)).status).toBe(401);
    await a.close();

    const b = await startStaffServer({ root: a.root, staffOptions: { loginMax: 3 } });
    try {
      const c = new StaffClient(b.base);
      expectLimited(await c.login('budi', u.password), c);
    } finally {
      await b.close();
    }
  });

  it('shares the count of an account between two processes on one register', async () => {
    const opts = { staffOptions: { loginAccountMax: 3 } };
    const a = await startStaffServer(opts);
    const b = await startStaffServer({ ...opts, root: a.root });
    try {
      const u = await a.addUser('sari', 'operator');
      expect((await new StaffClient(a.base).login('sari', WRONG)).status).toBe(401);
      expect((await new StaffClient(b.base).login('sari', WRONG)).status).toBe(401);
      expect((await new StaffClient(a.base).login('sari', WRONG)).status).toBe(401);
      const cb = new StaffClient(b.base);
      expectLimited(await cb.login('sari', u.password), cb);
      const ca = new StaffClient(a.base);
      expectLimited(await ca.login('sari', u.password), ca);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
