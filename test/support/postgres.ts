import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe } from 'vitest';

const execFileP = promisify(execFile);

/**
 * Where the PostgreSQL server binaries are (Debian's `postgresql` package puts them under
 * /usr/lib/postgresql/<version>/bin, not on PATH), or why there are none. PINDAI_TEST_PG_BIN
 * names another folder holding initdb and postgres.
 */
export type PostgresProbe = { binDir: string; reason: null } | { binDir: null; reason: string };

export function findPostgres(): PostgresProbe {
  const dirs = process.env.PINDAI_TEST_PG_BIN
    ? [process.env.PINDAI_TEST_PG_BIN]
    : listVersions('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`);
  const binDir = dirs.find((d) => ['initdb', 'postgres'].every((b) => isExecutable(path.join(d, b))));
  if (binDir) return { binDir, reason: null };
  return {
    binDir: null,
    reason:
      'PostgreSQL server binaries not found (install Debian `postgresql`: `bash scripts/ensure-system-deps.sh` as root)',
  };
}

function listVersions(root: string): string[] {
  try {
    // Newest major version first.
    return fs
      .readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `describe` for suites that need a PostgreSQL server: without the binaries the suite is reported
 * as skipped with the reason in its name — never run against nothing and counted as passed.
 */
export function describePostgres(name: string, fn: () => void): void {
  const probe = findPostgres();
  if (probe.binDir) describe(name, fn);
  else describe.skip(`${name} [skipped: ${probe.reason}]`, fn);
}

export interface TestPostgres {
  /** postgres:// URL of the database made at start (superuser `pindai`, no password). */
  url: string;
  port: number;
  /** Another empty database on the same server; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown, then the data folder is removed. */
  stop(): Promise<void>;
}

const PREFIX = 'pindai-pg-';

/**
 * Folders of servers whose test process was killed (the server itself quits with its parent, see
 * `command`): older than ten minutes, so a folder another test file is still initialising is kept.
 */
function sweepLeftovers(tmp: string): void {
  for (const name of fs.readdirSync(tmp)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = path.join(tmp, name);
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs < 600_000) continue;
      const pid = Number(fs.readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0 && isAlive(pid)) continue;
    } catch {
      // No postmaster.pid: the server is gone (or never started).
    }
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another user's leftovers: theirs to sweep.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Superuser made by initdb; trust authentication on 127.0.0.1 only, so no password. */
const SUPERUSER = 'pindai';

/**
 * A throwaway PostgreSQL server for one test file: `initdb` into a temp folder, `postgres` on a
 * free 127.0.0.1 port (its unix socket in the same folder, so nothing under /var/run is needed),
 * one database `pindai_test`. Durability is switched off (fsync, synchronous_commit,
 * full_page_writes): a crash loses a test database, nothing else, and start-up takes about a
 * second. initdb and postgres refuse to run as root, so as root (CI) they run as the unprivileged
 * `postgres` user (made by the Debian package) or else `nobody`, in a folder owned by that user.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const probe = findPostgres();
  if (probe.binDir === null) throw new Error(probe.reason);
  const binDir = probe.binDir;
  const runAs = process.getuid?.() === 0 ? unprivilegedUser() : null;
  const base = runAs ? tmpFor(runAs) : os.tmpdir();
  sweepLeftovers(base);
  const dir = fs.mkdtempSync(path.join(base, PREFIX));
  try {
    if (runAs) fs.chownSync(dir, runAs.uid, runAs.gid);
    const dataDir = path.join(dir, 'data');
    const [initdb, initdbArgs] = command(runAs, path.join(binDir, 'initdb'), [
      '-D',
      dataDir,
      '-U',
      SUPERUSER,
      '--auth=trust',
      '--encoding=UTF8',
      // Byte-order text comparison, as SQLite's default BINARY collation.
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
    await execFileP(initdb, initdbArgs, { cwd: dir });
    // A port picked free can be taken before postgres binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const child = spawn(
        ...command(runAs, path.join(binDir, 'postgres'), [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-h',
          '127.0.0.1',
          '-k',
          dir,
          ...settings({
            fsync: 'off',
            synchronous_commit: 'off',
            full_page_writes: 'off',
            shared_buffers: '32MB',
            // The scale benchmark runs 64 workers, each with its own connection, plus spares.
            max_connections: '200',
            // /dev/shm is small in containers; mmap'd files in the data folder need none.
            dynamic_shared_memory_type: 'mmap',
            logging_collector: 'off',
            log_min_messages: 'warning',
          }),
        ]),
        { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (s: string) => {
        stderr = (stderr + s).slice(-8000);
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const killOnExit = () => child.kill('SIGQUIT');
      process.once('exit', killOnExit);
      const ready = await waitReady(port, exited);
      if (!ready) {
        process.off('exit', killOnExit);
        // Still starting after 30 s (or gone already): make sure it is gone before the folder is.
        child.kill('SIGQUIT');
        await exited;
        if (attempt < 4 && /could not bind|Address already in use/i.test(stderr)) continue;
        throw new Error(`postgres did not start:\n${stderr}`);
      }
      const url = (db: string) => `postgres://${SUPERUSER}@127.0.0.1:${port}/${db}`;
      const createDatabase = async (name: string) => {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
        const c = new pg.Client({ connectionString: url('postgres') });
        await c.connect();
        try {
          await c.query(`CREATE DATABASE ${name}`);
        } finally {
          await c.end();
        }
        return url(name);
      };
      return {
        url: await createDatabase('pindai_test'),
        port,
        createDatabase,
        stop: () => stopServer(child, exited, dir, killOnExit),
      };
    }
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function stopServer(
  child: ChildProcess,
  exited: Promise<number | null>,
  dir: string,
  killOnExit: () => void,
): Promise<void> {
  process.off('exit', killOnExit);
  if (child.exitCode === null && child.signalCode === null) {
    // SIGINT: fast shutdown (disconnects clients); SIGTERM would wait for every pool to close.
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

function settings(s: Record<string, string>): string[] {
  return Object.entries(s).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

/**
 * The argv that runs `bin` as `runAs` (setpriv, which execs in place: no go-between process to
 * forward signals). --pdeathsig makes the server quit if the test process dies without stop().
 */
function command(
  runAs: { uid: number; gid: number } | null,
  bin: string,
  args: string[],
): [string, string[]] {
  const setpriv = '/usr/bin/setpriv';
  if (!isExecutable(setpriv)) {
    if (runAs) throw new Error('running PostgreSQL tests as root needs setpriv (util-linux)');
    return [bin, args];
  }
  const ids = runAs
    ? [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups', '--inh-caps=-all']
    : [];
  return [setpriv, [...ids, '--pdeathsig', 'SIGQUIT', bin, ...args]];
}

/**
 * The temp folder when the server runs as another user: that user must be able to reach it, which
 * a root-only TMPDIR (/root/tmp) does not allow; /tmp always does.
 */
function tmpFor(user: { uid: number; gid: number }): string {
  const tmp = os.tmpdir();
  for (let d = tmp; ; d = path.dirname(d)) {
    const st = fs.statSync(d);
    const mine = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if ((st.mode & mine) === 0) return '/tmp';
    if (d === path.dirname(d)) return tmp;
  }
}

/** The `postgres` system user if the Debian package made one, else `nobody`. */
function unprivilegedUser(): { uid: number; gid: number } {
  const passwd = fs.readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const name of ['postgres', 'nobody']) {
    const fields = passwd.find((l) => l.startsWith(`${name}:`))?.split(':');
    if (fields?.[2] && fields[3]) return { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error('no unprivileged user (postgres or nobody) to run PostgreSQL as');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Poll until the server accepts a connection; false if it exited first or took over 30 s. */
async function waitReady(port: number, exited: Promise<number | null>): Promise<boolean> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + 30_000;
  while (!gone && Date.now() < deadline) {
    const c = new pg.Client({ host: '127.0.0.1', port, user: SUPERUSER, database: 'postgres' });
    try {
      await c.connect();
      await c.end();
      return true;
    } catch {
      await c.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return false;
}
