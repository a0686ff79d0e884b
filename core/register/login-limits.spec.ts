import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.ts';
import type { LoginLimitRules } from './login-limits.ts';
import { createRegister } from './register.ts';

const HOUR = 3600_000;
const RULES: LoginLimitRules = {
  address: { max: 6, windowMs: HOUR, blockMs: HOUR },
  accountAddress: { max: 3, windowMs: HOUR, blockMs: HOUR },
  account: { max: 5, windowMs: HOUR, blockMs: 2 * HOUR },
};

/** The store's contract on a real register file (a PostgreSQL store would run the same cases). */
describe('login limits in the register', () => {
  const open = () => createRegister(path.join(tempDir(), 'register.sqlite'));

  it('closes at the max-th failure of each rule, and names the rule', async () => {
    const reg = open();
    const l = reg.loginLimits(RULES);
    for (let i = 0; i < 2; i++) await l.failed('budi', '10.0.0.1');
    expect(await l.closed('budi', '10.0.0.1')).toBeNull();
    await l.failed('budi', '10.0.0.1');
    expect(await l.closed('BUDI', '10.0.0.1')).toMatchObject({ rule: 'accountAddress' });
    expect(await l.closed('budi', '10.0.0.2')).toBeNull();
    // Two more from elsewhere: the account is closed everywhere, for its longer block.
    await l.failed('budi', '10.0.0.2');
    await l.failed('budi', '10.0.0.3');
    const closed = await l.closed('budi', '10.0.0.4');
    expect(closed?.rule).toBe('account');
    expect(closed?.retryMs).toBeGreaterThan(HOUR);
    // Six failures from one address close it for every account.
    for (let i = 0; i < 6; i++) await l.failed(`orang-${i}`, '10.0.0.9');
    expect(await l.closed('sari', '10.0.0.9')).toMatchObject({ rule: 'address' });
    await reg.close();
  });

  it('forgives an account at an address after a success, not its spread-out failures', async () => {
    const reg = open();
    const l = reg.loginLimits(RULES);
    for (let i = 0; i < 2; i++) await l.failed('sari', '10.0.0.1');
    await l.succeeded('sari', '10.0.0.1');
    for (let i = 0; i < 2; i++) await l.failed('sari', '10.0.0.1');
    expect(await l.closed('sari', '10.0.0.1')).toBeNull();
    await l.succeeded('sari', '10.0.0.1');
    await l.failed('sari', '10.0.0.1');
    // 5 failures in all: the account count was never reset.
    expect(await l.closed('sari', '10.0.0.5')).toMatchObject({ rule: 'account' });
    await reg.close();
  });

  it('lists locked accounts and unlocks exactly one, also when another name starts the same', async () => {
    const reg = open();
    const l = reg.loginLimits(RULES);
    for (let i = 0; i < 3; i++) await l.failed('eko', '10.0.0.1');
    for (let i = 0; i < 5; i++) await l.failed('eko2', `10.0.1.${i}`);
    // A made-up name that looks like a key of eko's does not touch eko.
    for (let i = 0; i < 3; i++) await l.failed('eko","10.0.0.1', '10.0.0.2');
    const locked = await l.lockedAccounts();
    expect([...locked.keys()].sort()).toEqual(['eko', 'eko","10.0.0.1', 'eko2']);
    expect(locked.get('eko2')).toBeGreaterThan(HOUR);

    expect(await l.unlock(' EKO ')).toBeGreaterThan(0);
    expect(await l.closed('eko', '10.0.0.1')).toBeNull();
    expect(await l.closed('eko2', '10.0.0.9')).not.toBeNull();
    expect(await l.closed('eko","10.0.0.1', '10.0.0.2')).not.toBeNull();
    expect([...(await l.lockedAccounts()).keys()].sort()).toEqual(['eko","10.0.0.1', 'eko2']);
    await reg.close();
  });

  it('is seen by a second handle on the same file, and after reopening it', async () => {
    const file = path.join(tempDir(), 'register.sqlite');
    const a = createRegister(file);
    const b = createRegister(file);
    for (let i = 0; i < 5; i++) await a.loginLimits(RULES).failed('dewi', `10.0.0.${i}`);
    expect(await b.loginLimits(RULES).closed('dewi', '10.0.9.9')).not.toBeNull();
    await a.close();
    await b.close();
    const c = createRegister(file);
    expect(await c.loginLimits(RULES).closed('dewi', '10.0.9.9')).not.toBeNull();
    await c.close();
  });
});
