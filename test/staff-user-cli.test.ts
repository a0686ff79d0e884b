import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { createRegister } from '../core/register/register.ts';
import { userAddCommand } from '../scripts/commands/user.command.ts';
import { verifyPassword } from '../server/staff/auth/password.ts';
import { BIN } from './support/run-cli.ts';
import { tempDir } from './support/temp-dir.ts';

function run(args: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, PINDAI_LOG_LEVEL: 'silent' } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

describe('pindai user add', () => {
  const data = path.join(tempDir(), 'data');

  it('creates the first admin with an argon2id hash from --password-stdin', async () => {
    const r = await run(
      ['--data', data, 'user', 'add', 'Kasie', '--role', 'admin', '--password-stdin'],
      'rahasia-kasie-2026\n',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const reg = createRegister(path.join(data, 'register.sqlite'));
    const u = await reg.users.byUsername('kasie');
    await reg.close();
    expect(u?.role).toBe('admin');
    expect(u?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(u!.passwordHash, 'rahasia-kasie-2026')).toBe(true);
    expect(await verifyPassword(u!.passwordHash, 'rahasia-kasie-2026\n')).toBe(false);
  });

  it('refuses a taken name, an unknown role and a short password', async () => {
    const config = loadConfig({ PINDAI_DATA_DIR: data });
    // These are refused before a password is read.
    expect(await userAddCommand(config, 'Kasie', { role: 'staf', passwordStdin: true })).toBe(1);
    expect(await userAddCommand(config, 'budi', { role: 'raja', passwordStdin: true })).toBe(2);
    expect(await userAddCommand(config, '../x', { role: 'staf', passwordStdin: true })).toBe(2);
    const short = await run(
      ['--data', data, 'user', 'add', 'budi', '--role', 'staf', '--password-stdin'],
      'pendek',
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('minimal 10 karakter');
  });
});
