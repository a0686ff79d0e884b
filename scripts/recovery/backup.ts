import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import type { Config } from '../../core/config.ts';
import { createFsObjectStore } from '../../core/store/fs.object-store.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';

export const BACKUP_CATALOG = 'backup.json';

interface CatalogEntry {
  key: string;
  size: number;
  sha256: string;
}

export interface BackupCatalog {
  backupVersion: 1;
  createdAt: string;
  register: { file: string; sha256: string };
  index: { file: string; sha256: string } | null;
  objects: CatalogEntry[];
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(fs.createReadStream(file), h);
  return h.digest('hex');
}

/**
 * Back up the register, the search index and every stored object into `dir`. The register is
 * copied first with SQLite's online backup API (a consistent snapshot while `pindai serve` keeps
 * working), then the objects: everything the snapshot refers to already exists by then, and
 * objects are never changed in place, only added. A catalogue with every file's SHA-256 lets a
 * restore refuse a damaged backup.
 */
export async function backupTo(config: Config, store: ObjectStore, dir: string): Promise<BackupCatalog> {
  const target = path.resolve(dir);
  await fsp.mkdir(target, { recursive: true });
  const registerFile = path.join(target, 'register.sqlite');
  await snapshotSqlite(config.registerPath, registerFile);
  let index: BackupCatalog['index'] = null;
  if (fs.existsSync(config.indexPath)) {
    const indexFile = path.join(target, 'index.sqlite');
    await snapshotSqlite(config.indexPath, indexFile);
    index = { file: 'index.sqlite', sha256: await sha256File(indexFile) };
  }
  const copy = createFsObjectStore(path.join(target, 'store'));
  const objects: CatalogEntry[] = [];
  for await (const o of store.list('items/')) {
    const existing = await copy.head(o.key);
    // Incremental: an object already in the backup with the same bytes is not copied again.
    const source = await store.sha256(o.key);
    if (existing?.size === o.size && (await copy.sha256(o.key)) === source) {
      objects.push({ key: o.key, size: o.size, sha256: source });
      continue;
    }
    const put = await copy.put(o.key, await store.get(o.key));
    if (put.sha256 !== source) throw new Error(`object ${o.key} changed while being backed up`);
    objects.push({ key: o.key, size: put.size, sha256: put.sha256 });
  }
  const catalog: BackupCatalog = {
    backupVersion: 1,
    createdAt: new Date().toISOString(),
    register: { file: 'register.sqlite', sha256: await sha256File(registerFile) },
    index,
    objects,
  };
  const tmp = path.join(target, `${BACKUP_CATALOG}.tmp`);
  await fsp.writeFile(tmp, JSON.stringify(catalog, null, 2));
  await fsp.rename(tmp, path.join(target, BACKUP_CATALOG));
  return catalog;
}

async function snapshotSqlite(from: string, to: string): Promise<void> {
  const db = new Database(from, { readonly: true, fileMustExist: true });
  try {
    await fsp.rm(`${to}.tmp`, { force: true });
    await db.backup(`${to}.tmp`);
  } finally {
    db.close();
  }
  await fsp.rename(`${to}.tmp`, to);
}

export interface VerifyProblem {
  file: string;
  expected: string;
  actual: string;
}

/** Check every file of a backup against its catalogue. */
export async function verifyBackup(
  dir: string,
): Promise<{ catalog: BackupCatalog; problems: VerifyProblem[] }> {
  const root = path.resolve(dir);
  const catalog = JSON.parse(await fsp.readFile(path.join(root, BACKUP_CATALOG), 'utf8')) as BackupCatalog;
  if (catalog.backupVersion !== 1) throw new Error(`unknown backup version ${catalog.backupVersion}`);
  const problems: VerifyProblem[] = [];
  const check = async (file: string, expected: string) => {
    const actual = fs.existsSync(file) ? await sha256File(file) : 'missing';
    if (actual !== expected) problems.push({ file: path.relative(root, file), expected, actual });
  };
  await check(path.join(root, catalog.register.file), catalog.register.sha256);
  if (catalog.index) await check(path.join(root, catalog.index.file), catalog.index.sha256);
  for (const o of catalog.objects)
    await check(path.join(root, 'store', 'objects', ...o.key.split('/')), o.sha256);
  return { catalog, problems };
}

/**
 * Restore a verified backup into the data folder of `config`. Refuses a backup with any file
 * that does not match its catalogue (nothing is written then), and a data folder whose register
 * already holds items unless `force`. Run it with the service stopped.
 */
export async function restoreFrom(
  config: Config,
  dir: string,
  opts: { force?: boolean } = {},
): Promise<{ objects: number; problems: VerifyProblem[] }> {
  const root = path.resolve(dir);
  const { catalog, problems } = await verifyBackup(root);
  if (problems.length > 0) return { objects: 0, problems };
  if (!opts.force && fs.existsSync(config.registerPath)) {
    const db = new Database(config.registerPath, { readonly: true });
    try {
      const n = (
        db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'items'").get() as { n: number }
      ).n
        ? (db.prepare('SELECT COUNT(*) AS n FROM items').get() as { n: number }).n
        : 0;
      if (n > 0)
        throw new Error(`the register in ${config.dataDir} holds ${n} items; use --force to replace it`);
    } finally {
      db.close();
    }
  }
  await fsp.mkdir(config.dataDir, { recursive: true });
  const store = createFsObjectStore(config.storeDir);
  for (const o of catalog.objects) {
    const file = path.join(root, 'store', 'objects', ...o.key.split('/'));
    const put = await store.putFile(o.key, file);
    if (put.sha256 !== o.sha256) throw new Error(`object ${o.key} changed while being restored`);
  }
  await placeSqlite(path.join(root, catalog.register.file), config.registerPath);
  if (catalog.index) await placeSqlite(path.join(root, catalog.index.file), config.indexPath);
  return { objects: catalog.objects.length, problems: [] };
}

async function placeSqlite(from: string, to: string): Promise<void> {
  await fsp.copyFile(from, `${to}.restore`);
  // A stale WAL beside the restored file would be replayed over it.
  for (const suffix of ['-wal', '-shm']) await fsp.rm(`${to}${suffix}`, { force: true });
  await fsp.rename(`${to}.restore`, to);
}
