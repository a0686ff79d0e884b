import { createHash } from 'node:crypto';
import type pg from 'pg';
import { expect, it } from 'vitest';
import { sqliteRegisterDb, usePgRegisters } from '../../../test/support/pg-register.ts';
import { describePostgres } from '../../../test/support/postgres.ts';
import type { LoginLimitRules } from '../login-limits.ts';
import { createUserQueries } from '../users.queries.ts';
import { createPgAuditQueries } from './pg-audit.ts';
import { createPgLoginLimits } from './pg-login-limits.ts';
import { createPgSessionQueries } from './pg-sessions.ts';
import { createPgUserQueries } from './pg-users.ts';

const HOUR = 3600_000;
const RULES: LoginLimitRules = {
  address: { max: 6, windowMs: HOUR, blockMs: HOUR },
  accountAddress: { max: 3, windowMs: HOUR, blockMs: HOUR },
  account: { max: 5, windowMs: HOUR, blockMs: 2 * HOUR },
};

describePostgres('staff accounts on PostgreSQL: users, sessions, audit log, login limits', () => {
  const pgServer = usePgRegisters('staff');
  const registers = { fresh: async () => (await pgServer.fresh())[0] as pg.Pool, sibling: pgServer.sibling };
  const sqlite = sqliteRegisterDb();

  it('keeps users with names unique and found regardless of case, sorted as SQLite sorts them', async () => {
    const users = createPgUserQueries(await registers.fresh());
    const u = await users.insert({ username: 'sari', displayName: 'Sari', role: 'staf', passwordHash: 'h1' });
    expect(u).toMatchObject({ username: 'sari', displayName: 'Sari', role: 'staf', passwordHash: 'h1' });
    expect(u).toMatchObject({ disabledAt: null, lastLoginAt: null });
    expect(typeof u.id).toBe('number');
    await expect(
      users.insert({ username: 'SARI', displayName: 'x', role: 'admin', passwordHash: 'h' }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await users.byUsername('Sari'))?.id).toBe(u.id);
    expect(await users.byUsername('nobody')).toBeNull();
    expect(await users.get(u.id + 100)).toBeNull();
    // NOCASE folds to lower case: "_x" < "adi" < "Budi" (byte order would put "Budi" first, an
    // upper-case fold "_x" last), the same
    // list SQLite gives for the same names.
    const names = ['Budi', 'adi', 'cici', 'Zed', '_x'];
    const ref = createUserQueries(sqlite);
    ref.insert({ username: 'sari', displayName: 'Sari', role: 'staf', passwordHash: 'h1' });
    for (const name of names) {
      await users.insert({ username: name, displayName: name, role: 'operator', passwordHash: 'h' });
      ref.insert({ username: name, displayName: name, role: 'operator', passwordHash: 'h' });
    }
    const listed = (await users.list()).map((x) => x.username);
    expect(listed).toEqual(['_x', 'adi', 'Budi', 'cici', 'sari', 'Zed']);
    expect(listed).toEqual(ref.list().map((x) => x.username));
    expect(await users.count()).toBe(6);
  });

  it('changes role and password, disables and enables, and records the last sign-in', async () => {
    const users = createPgUserQueries(await registers.fresh());
    const u = await users.insert({ username: 'sari', displayName: 'Sari', role: 'staf', passwordHash: 'h1' });
    await users.setRole(u.id, 'operator');
    await users.setPassword(u.id, 'h3');
    await users.touchLogin(u.id);
    await users.setDisabled(u.id, true);
    const after = await users.get(u.id);
    expect(after).toMatchObject({ role: 'operator', passwordHash: 'h3' });
    expect(after?.disabledAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(after?.lastLoginAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    await users.setDisabled(u.id, false);
    expect((await users.get(u.id))?.disabledAt).toBeNull();
  });

  it('keeps sessions until they expire, end, or their account is disabled; stores only a hash', async () => {
    const pool = await registers.fresh();
    const users = createPgUserQueries(pool);
    const sessions = createPgSessionQueries(pool);
    const u = await users.insert({ username: 'sari', displayName: 'Sari', role: 'staf', passwordHash: 'h' });
    const now = Date.now();
    const s = { userId: u.id, csrfToken: 'c', ip: '10.0.0.1', userAgent: 'x'.repeat(400) };
    await sessions.create({ ...s, id: 'sesi-1', expiresAt: now + 60_000 });
    await sessions.create({ ...s, id: 'sesi-2', expiresAt: now + 60_000 });
    await sessions.create({ ...s, id: 'sesi-old', expiresAt: now - 1 });
    const found = await sessions.find('sesi-1');
    expect(found).toEqual({
      userId: u.id,
      username: 'sari',
      displayName: 'Sari',
      role: 'staf',
      csrfToken: 'c',
      createdAt: expect.any(Number),
      lastSeenAt: expect.any(Number),
    });
    const stored = await pool.query('SELECT id_hash, user_agent FROM sessions ORDER BY id_hash');
    expect(stored.rows.map((r) => r.id_hash)).toContain(createHash('sha256').update('sesi-1').digest('hex'));
    expect(stored.rows.every((r) => r.id_hash !== 'sesi-1' && r.user_agent.length === 300)).toBe(true);
    expect(await sessions.find('sesi-old')).toBeNull();
    expect(await sessions.find('sesi-1', now + 120_000)).toBeNull();
    await sessions.touch('sesi-1', now + 300_000);
    expect(await sessions.find('sesi-1', now + 120_000)).not.toBeNull();
    expect(await sessions.countForUser(u.id)).toBe(3);
    expect(await sessions.purgeExpired()).toBe(1);
    await users.setDisabled(u.id, true);
    expect(await sessions.find('sesi-1')).toBeNull();
    await users.setDisabled(u.id, false);
    await sessions.delete('sesi-1');
    expect(await sessions.find('sesi-1')).toBeNull();
    expect(await sessions.find('sesi-2')).not.toBeNull();
    expect(await sessions.deleteForUser(u.id)).toBe(1);
    expect(await sessions.countForUser(u.id)).toBe(0);
  });

  it('appends to the audit log and filters it by name, action and period, newest first, paged', async () => {
    const pool = await registers.fresh();
    const audit = createPgAuditQueries(pool);
    await audit.record({ userId: null, username: 'cli', action: 'user_create', target: 'user:sari' });
    await audit.record({
      userId: 1,
      username: 'sari',
      action: 'item_publish',
      target: 'item:x',
      detail: { to: 'open', n: [1, 2] },
      ip: '10.0.0.1',
    });
    await audit.record({ userId: 1, username: 'sari', action: 'login' });
    expect((await audit.list()).map((e) => e.action)).toEqual(['login', 'item_publish', 'user_create']);
    expect(await audit.list({ action: 'item_publish' })).toEqual([
      {
        id: expect.any(Number),
        at: expect.any(String),
        username: 'sari',
        action: 'item_publish',
        target: 'item:x',
        detail: { to: 'open', n: [1, 2] },
        ip: '10.0.0.1',
      },
    ]);
    expect((await audit.list({ username: 'cli' }))[0]).toMatchObject({
      target: 'user:sari',
      detail: {},
      ip: null,
    });
    expect(await audit.count()).toBe(3);
    expect(await audit.count({ username: 'sari' })).toBe(2);
    expect(await audit.count({ username: 'sari', action: 'login' })).toBe(1);
    // Periods compare the ISO text: from is inclusive, to exclusive.
    await pool.query(`UPDATE audit_log SET at = '2026-05-01T10:00:00.000Z' WHERE action = 'login'`);
    expect(await audit.count({ from: '2026-05-01T10:00:00.000Z', to: '2026-05-01T10:00:00.001Z' })).toBe(1);
    expect(await audit.count({ from: '2026-05-01', to: '2026-05-01T10:00:00.000Z' })).toBe(0);
    expect(await audit.count({ from: '2999-01-01' })).toBe(0);
    expect((await audit.list({}, { limit: 1, offset: 1 })).map((e) => e.action)).toEqual(['item_publish']);
    expect((await audit.list({}, { limit: -1, offset: 2 })).map((e) => e.action)).toEqual(['user_create']);
    expect((await audit.list({}, { limit: 1, offset: -4 })).map((e) => e.action)).toEqual(['login']);
    expect(await audit.actions()).toEqual(['item_publish', 'login', 'user_create']);
  });

  it('counts failed sign-ins per rule, case-insensitively, and names the rule that closes', async () => {
    const l = createPgLoginLimits(await registers.fresh(), RULES);
    for (let i = 0; i < 2; i++) await l.failed('budi', '10.0.0.1');
    expect(await l.closed('budi', '10.0.0.1')).toBeNull();
    await l.failed('budi', '10.0.0.1');
    expect(await l.closed('BUDI', '10.0.0.1')).toMatchObject({ rule: 'accountAddress' });
    expect(await l.closed('budi', '10.0.0.2')).toBeNull();
    await l.failed('budi', '10.0.0.2');
    await l.failed('budi', '10.0.0.3');
    const closed = await l.closed('budi', '10.0.0.4');
    expect(closed?.rule).toBe('account');
    expect(closed?.retryMs).toBeGreaterThan(HOUR);
    for (let i = 0; i < 6; i++) await l.failed(`orang-${i}`, '10.0.0.9');
    expect(await l.closed('sari', '10.0.0.9')).toMatchObject({ rule: 'address' });
  });

  it('forgives an account at an address after a success, not its spread-out failures', async () => {
    const l = createPgLoginLimits(await registers.fresh(), RULES);
    for (let i = 0; i < 2; i++) await l.failed('sari', '10.0.0.1');
    await l.succeeded('sari', '10.0.0.1');
    for (let i = 0; i < 2; i++) await l.failed('sari', '10.0.0.1');
    expect(await l.closed('sari', '10.0.0.1')).toBeNull();
    await l.succeeded('sari', '10.0.0.1');
    await l.failed('sari', '10.0.0.1');
    expect(await l.closed('sari', '10.0.0.5')).toMatchObject({ rule: 'account' });
  });

  it('lists locked accounts and unlocks exactly one, also when names hold quotes, % or _', async () => {
    const l = createPgLoginLimits(await registers.fresh(), RULES);
    for (let i = 0; i < 3; i++) await l.failed('eko', '10.0.0.1');
    for (let i = 0; i < 5; i++) await l.failed('eko2', `10.0.1.${i}`);
    for (let i = 0; i < 3; i++) await l.failed('eko","10.0.0.1', '10.0.0.2');
    for (let i = 0; i < 3; i++) await l.failed('e_o', '10.0.0.3');
    for (let i = 0; i < 3; i++) await l.failed('%', '10.0.0.3');
    // One failure short of each rule: counted, not locked.
    for (let i = 0; i < 2; i++) await l.failed('rina', '10.0.0.4');
    const locked = await l.lockedAccounts();
    expect([...locked.keys()].sort()).toEqual(['%', 'e_o', 'eko', 'eko","10.0.0.1', 'eko2']);
    expect(locked.get('eko2')).toBeGreaterThan(HOUR);
    expect(locked.get('eko')).toBeLessThanOrEqual(HOUR);

    expect(await l.unlock(' EKO ')).toBe(2); // eko's count, and eko's at 10.0.0.1
    expect(await l.closed('eko', '10.0.0.1')).toBeNull();
    expect(await l.closed('eko2', '10.0.0.9')).not.toBeNull();
    expect(await l.closed('eko","10.0.0.1', '10.0.0.2')).not.toBeNull();
    expect(await l.unlock('%')).toBe(2);
    expect(await l.closed('e_o', '10.0.0.8')).toBeNull(); // not locked by account (3 < 5) …
    expect(await l.closed('e_o', '10.0.0.3')).toMatchObject({ rule: 'address' }); // … but its address is
    expect([...(await l.lockedAccounts()).keys()].sort()).toEqual(['e_o', 'eko","10.0.0.1', 'eko2']);
  });

  it('is seen by every machine on the register, and drops expired counts', async () => {
    const pool = await registers.fresh();
    const other = createPgLoginLimits(pool, RULES);
    for (let i = 0; i < 5; i++) await createPgLoginLimits(pool, RULES).failed('dewi', `10.0.0.${i}`);
    expect(await other.closed('dewi', '10.0.9.9')).not.toBeNull();
    await pool.query(`UPDATE login_limits SET expire = 1 WHERE key LIKE 'account:%'`);
    expect(await other.closed('dewi', '10.0.9.9')).toBeNull();
    await createPgLoginLimits(pool, RULES).failed('x', '10.9.9.9'); // a fresh store purges on its first failure
    const { rows } = await pool.query(`SELECT key FROM login_limits WHERE expire < $1`, [Date.now()]);
    expect(rows).toEqual([]);
  });
});
