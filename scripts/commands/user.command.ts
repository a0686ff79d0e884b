import readline from 'node:readline';
import type { Config } from '../../core/config.ts';
import { loginAccount } from '../../core/register/login-limits.ts';
import { openConfiguredRegister } from '../../core/register/open-configured.ts';
import { ROLES, type Role } from '../../core/register/users.queries.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../../server/staff/auth/password.ts';
import { DEFAULT_STAFF_OPTIONS, loginLimitRulesOf } from '../../server/staff/staff.context.ts';
import { USERNAME_RE } from '../../server/staff/users.routes.tsx';

export interface UserAddOptions {
  role: string;
  displayName?: string;
  passwordStdin?: boolean;
}

/** `pindai user add <name> --role admin`: create a staff account (the first admin, typically). */
export async function userAddCommand(config: Config, username: string, o: UserAddOptions): Promise<number> {
  const name = username.trim().toLowerCase();
  if (!USERNAME_RE.test(name)) {
    process.stderr.write('Nama pengguna: 2–40 huruf kecil, angka, titik, garis bawah atau tanda hubung.\n');
    return 2;
  }
  if (!(ROLES as readonly string[]).includes(o.role)) {
    process.stderr.write(`Peran tidak dikenal: ${o.role} (pilih ${ROLES.join(', ')}).\n`);
    return 2;
  }
  const register = await openConfiguredRegister(config);
  try {
    const { users } = register;
    if (await users.byUsername(name)) {
      process.stderr.write(`Nama pengguna ${name} sudah dipakai.\n`);
      return 1;
    }
    const password = o.passwordStdin ? await readStdin() : await promptTwice();
    if (password === null) return 2;
    if (password.length < MIN_PASSWORD_LENGTH) {
      process.stderr.write(`Kata sandi minimal ${MIN_PASSWORD_LENGTH} karakter.\n`);
      return 2;
    }
    const user = await users.insert({
      username: name,
      displayName: o.displayName?.trim() || name,
      role: o.role as Role,
      passwordHash: await hashPassword(password),
    });
    await register.audit.record({
      userId: null,
      username: 'cli',
      action: 'user_create',
      target: `user:${user.username}`,
      detail: { role: user.role },
    });
    process.stdout.write(`Pengguna ${user.username} (${user.role}) dibuat. Masuk di /staf/masuk.\n`);
    return 0;
  } finally {
    await register.close();
  }
}

/**
 * `pindai user unlock <name>`: forget an account's failed sign-ins, on the register a running
 * server also reads. The way back in for an admin locked out with no other admin to ask.
 */
export async function userUnlockCommand(config: Config, username: string): Promise<number> {
  const register = await openConfiguredRegister(config);
  try {
    const user = await register.users.byUsername(loginAccount(username));
    if (!user) {
      process.stderr.write(`Pengguna ${loginAccount(username)} tidak ada.\n`);
      return 1;
    }
    // The rules only decide when an account closes; unlocking clears its counts whatever they are.
    const limits = register.loginLimits(loginLimitRulesOf(DEFAULT_STAFF_OPTIONS));
    const cleared = await limits.unlock(user.username);
    await register.audit.record({
      userId: null,
      username: 'cli',
      action: 'user_unlock',
      target: `user:${user.username}`,
      detail: { cleared },
    });
    process.stdout.write(`Kunci akun ${user.username} dibuka: ${cleared} hitungan gagal masuk dihapus.\n`);
    return 0;
  } finally {
    await register.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // One trailing newline (from `echo`) is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function promptTwice(): Promise<string | null> {
  if (!process.stdin.isTTY) {
    process.stderr.write('Tidak ada terminal: berikan kata sandi lewat --password-stdin.\n');
    return null;
  }
  const a = await promptHidden('Kata sandi: ');
  const b = await promptHidden('Ulangi kata sandi: ');
  if (a !== b) {
    process.stderr.write('Kata sandi tidak sama.\n');
    return null;
  }
  return a;
}

/** Ask without echoing what is typed. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    let asked = false;
    out._writeToOutput = (s: string) => {
      if (!asked) {
        process.stderr.write(s);
        asked = true;
      }
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
