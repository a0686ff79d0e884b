import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from '../core/config.ts';
import { CATALOG_TARGETS, type CatalogTarget, REVIEW_CHOICES } from './cli-choices.ts';

/**
 * Each command's module is loaded when that command runs, not at start-up: a run loads only what
 * its command needs (loading every command cost ~0.5 CPU s per run, bench:cpu).
 */
const backupModule = () => import('./commands/backup.command.ts');
const catalogModule = () => import('./commands/catalog.command.ts');
const exportModule = () => import('./commands/export.command.ts');
const fixityModule = () => import('./commands/fixity.command.ts');
const ingestModule = () => import('./commands/ingest.command.ts');
const inventoryModule = () => import('./commands/inventory.command.ts');
const rebuildRegisterModule = () => import('./commands/rebuild-register.command.ts');
const registerCopyModule = () => import('./commands/register-copy.command.ts');
const reindexModule = () => import('./commands/reindex.command.ts');
const replicaModule = () => import('./commands/replica.command.ts');
const reviewModule = () => import('./commands/review.command.ts');
const searchModule = () => import('./commands/search.command.ts');
const serveModule = () => import('./commands/serve.command.ts');
const storeCopyModule = () => import('./commands/store-copy.command.ts');
const userModule = () => import('./commands/user.command.ts');
const workerModule = () => import('./commands/worker.command.ts');

const program = new Command()
  .name('pindai')
  .description('Alih media: scanned batches → registered, searchable, readable items')
  .option('--data <dir>', 'data folder (register, store, index, inbox); overrides PINDAI_DATA_DIR')
  .showHelpAfterError();

const config = () => loadConfig(process.env, { dataDir: program.opts<{ data?: string }>().data });

program
  .command('serve')
  .description('watch the inbox, run the workers and serve HTTP')
  .action(async () => {
    await (await serveModule()).serveCommand(config());
  });

program
  .command('ingest <dir>')
  .description('accept every batch under <dir> and run the pipeline to the end')
  .option('--json', 'print the result as JSON')
  .action(async (dir: string, o: { json?: boolean }) => {
    process.exitCode = await (await ingestModule()).ingestCommand(config(), dir, { json: Boolean(o.json) });
  });

program
  .command('search <query>')
  .description('search the collection, best first')
  .option('--json', 'print the result as JSON')
  .option('--limit <n>', 'number of hits', '10')
  .action(async (q: string, o: { json?: boolean; limit: string }) => {
    await (await searchModule()).searchCommand(config(), q, {
      json: Boolean(o.json),
      limit: Number(o.limit),
    });
  });

program
  .command('export [items...]')
  .description(
    'write an item (id or nomor induk) as PDF, per-page text and manifest; with --bagit, items as one BagIt bag',
  )
  .requiredOption('--to <dir>', 'target folder')
  .option('--bagit', 'a BagIt bag (RFC 8493) of the items, every object verified against its manifest')
  .addOption(
    new Option(
      '--for <catalogue>',
      "files for the library's catalogue: PDF ≤ 3 × 12 MB, MARC (ISO 2709 and MARCXML), CSV/XLSX",
    ).choices(CATALOG_TARGETS),
  )
  .option('--all', 'with --bagit or --for: every available item')
  .action(async (items: string[], o: { to: string; bagit?: boolean; all?: boolean; for?: CatalogTarget }) => {
    const all = Boolean(o.all);
    if (o.for !== undefined)
      process.exitCode = await (await exportModule()).catalogExportCommand(config(), items, o.to, {
        all,
        target: o.for,
      });
    else if (o.bagit)
      process.exitCode = await (await exportModule()).bagitCommand(config(), items, o.to, { all });
    else process.exitCode = await (await exportModule()).exportCommand(config(), items, o.to);
  });

program
  .command('inventory')
  .description('the Buku Inventaris Alih Media')
  .option('--format <format>', 'csv or json', 'csv')
  .action(async (o: { format: string }) => {
    await (await inventoryModule()).inventoryCommand(config(), o.format === 'json' ? 'json' : 'csv');
  });

program
  .command('worker')
  .description('run stage jobs only (no HTTP, no inbox watcher); start several to scale')
  .action(async () => {
    await (await workerModule()).workerCommand(config());
  });

program
  .command('reindex')
  .description('rebuild the search index from the register and the object store')
  .option('--clear', 'empty the index first (also drops items the register no longer has)')
  .option('--json', 'print the result as JSON')
  .action(async (o: { clear?: boolean; json?: boolean }) => {
    process.exitCode = await (await reindexModule()).reindexCommand(config(), {
      clear: Boolean(o.clear),
      json: Boolean(o.json),
    });
  });

program
  .command('store')
  .description('object store maintenance')
  .command('copy')
  .description('copy every object from the filesystem store to S3 (PINDAI_S3_*), verifying each SHA-256')
  .requiredOption('--to <backend>', 'target backend: s3')
  .option(
    '--verify-existing',
    're-read and hash objects already in the target instead of trusting their checksum',
  )
  .option('--json', 'print the result as JSON')
  .action(async (o: { to: string; verifyExisting?: boolean; json?: boolean }) => {
    process.exitCode = await (await storeCopyModule()).storeCopyCommand(config(), {
      to: o.to,
      verifyExisting: Boolean(o.verifyExisting),
      json: Boolean(o.json),
    });
  });

program
  .command('fixity')
  .description('re-hash stored objects against their manifests; exit 1 on any mismatch')
  .option('--share <part/of>', 'check this share of the items per run (rolling, e.g. 1/30 nightly)', '1/1')
  .option('--slot <n>', 'which share to check (default: the day number)')
  .option('--json', 'print the report as JSON')
  .option('--repair', 'repair what does not match from the replica (PINDAI_REPLICA_*), verified, logged')
  .action(async (o: { share: string; slot?: string; json?: boolean; repair?: boolean }) => {
    process.exitCode = await (await fixityModule()).fixityCommand(config(), {
      share: o.share,
      slot: o.slot,
      json: Boolean(o.json),
      repair: Boolean(o.repair),
    });
  });

program
  .command('backup <dir>')
  .description('back up the register, the index and the object store into <dir>')
  .option('--json', 'print the result as JSON')
  .action(async (dir: string, o: { json?: boolean }) => {
    process.exitCode = await (await backupModule()).backupCommand(config(), dir, { json: Boolean(o.json) });
  });

program
  .command('restore [dir]')
  .description('restore a verified backup from <dir>, or everything from the replica (service stopped)')
  .option('--force', 'replace a register that already holds items')
  .option('--from-replica', 'rebuild store, register and index from the replica (PINDAI_REPLICA_*), verified')
  .option('--json', 'print the result as JSON')
  .action(async (dir: string | undefined, o: { force?: boolean; json?: boolean; fromReplica?: boolean }) => {
    if (o.fromReplica) {
      process.exitCode = await (await replicaModule()).restoreFromReplicaCommand(config(), {
        json: Boolean(o.json),
      });
    } else if (dir === undefined) {
      program.error('restore: give a backup folder, or --from-replica');
    } else {
      process.exitCode = await (await backupModule()).restoreCommand(config(), dir, {
        force: Boolean(o.force),
        json: Boolean(o.json),
      });
    }
  });

const replica = program
  .command('replica')
  .description('the second copy of every object (PINDAI_REPLICA_STORE): lag, catch-up, repair');
replica
  .command('status')
  .description('copies waiting and the oldest one, last sync and verification; exit 1 when behind')
  .option('--json', 'print the result as JSON')
  .action(async (o: { json?: boolean }) => {
    process.exitCode = await (await replicaModule()).replicaStatusCommand(config(), {
      json: Boolean(o.json),
    });
  });
replica
  .command('sync')
  .description('copy to the replica whatever it lacks, each copy verified by SHA-256')
  .option('--verify', 'then re-hash every replica copy against its manifest')
  .option('--json', 'print the result as JSON')
  .action(async (o: { verify?: boolean; json?: boolean }) => {
    process.exitCode = await (await replicaModule()).replicaSyncCommand(config(), {
      verify: Boolean(o.verify),
      json: Boolean(o.json),
    });
  });
replica
  .command('repair')
  .description('replace damaged or missing objects on either side from the other, only verified copies')
  .option('--item <ref...>', 'only these items (id or nomor induk)')
  .option('--by <name>', 'who repaired (recorded in the audit log)', process.env.USER ?? 'cli')
  .option('--json', 'print the result as JSON')
  .action(async (o: { item?: string[]; by: string; json?: boolean }) => {
    process.exitCode = await (await replicaModule()).replicaRepairCommand(config(), {
      items: o.item ?? [],
      by: o.by,
      json: Boolean(o.json),
    });
  });
replica
  .command('purge')
  .description('delete the replica copies of items withdrawn longer ago than the grace period (audit-logged)')
  .option('--grace-days <n>', 'days after withdrawal (default PINDAI_REPLICA_PURGE_GRACE_DAYS)')
  .option('--dry-run', 'only list what would be deleted')
  .option('--by <name>', 'who purged (recorded in the audit log)', process.env.USER ?? 'cli')
  .option('--json', 'print the result as JSON')
  .action(async (o: { graceDays?: string; dryRun?: boolean; by: string; json?: boolean }) => {
    process.exitCode = await (await replicaModule()).replicaPurgeCommand(config(), {
      ...(o.graceDays !== undefined && { graceDays: o.graceDays }),
      dryRun: Boolean(o.dryRun),
      by: o.by,
      json: Boolean(o.json),
    });
  });

const user = program.command('user').description('staff accounts for the workspace at /staf');

user
  .command('add <name>')
  .description('create a staff account; the password is asked for, or read from stdin')
  .requiredOption('--role <role>', 'admin, staf or operator')
  .option('--display-name <text>', 'full name shown in the workspace')
  .option('--password-stdin', 'read the password from standard input')
  .action(async (name: string, o: { role: string; displayName?: string; passwordStdin?: boolean }) => {
    process.exitCode = await (await userModule()).userAddCommand(config(), name, o);
  });

user
  .command('unlock <name>')
  .description('let an account locked by failed sign-ins sign in again (clears its counts)')
  .action(async (name: string) => {
    process.exitCode = await (await userModule()).userUnlockCommand(config(), name);
  });

const review = program.command('review').description('items held for review: their access level was unknown');
review
  .command('list')
  .description('list held items, oldest first, with why they were held')
  .option('--json', 'print the result as JSON')
  .action(async (o: { json?: boolean }) => {
    process.exitCode = await (await reviewModule()).reviewListCommand(config(), { json: Boolean(o.json) });
  });
review
  .command('publish <item>')
  .description('set the access level of a held item (id or nomor induk); the reason goes to the audit log')
  .option('--access <level>', `${REVIEW_CHOICES.join(', ')}`, 'open')
  .requiredOption('--reason <text>', 'why (recorded in the audit log)')
  .option('--by <name>', 'who decided (recorded in the audit log)', process.env.USER ?? 'cli')
  .action(async (item: string, o: { access: string; reason: string; by: string }) => {
    process.exitCode = await (await reviewModule()).reviewPublishCommand(config(), item, o);
  });

program
  .command('register')
  .description('the register (Buku Induk) itself')
  .command('copy')
  .description('copy the embedded register to PostgreSQL, verified; run again to resume')
  .requiredOption('--to <url>', 'postgres://user:password@host:5432/database')
  .option('--json', 'print the result as JSON')
  .action(async (o: { to: string; json?: boolean }) => {
    process.exitCode = await (await registerCopyModule()).registerCopyCommand(config(), o.to, {
      json: Boolean(o.json),
    });
  });

program
  .command('catalog')
  .description("the library's own catalogue (INLISLite, SLiMS), for looking records up at intake")
  .command('import <file>')
  .description(
    'load a catalogue export: .mrc (MARC 21), .xml (MARCXML), .csv or .xlsx; all or nothing, a re-import updates',
  )
  .option('--json', 'print the result as JSON')
  .action(async (file: string, o: { json?: boolean }) => {
    process.exitCode = await (await catalogModule()).catalogImportCommand(config(), file, {
      json: Boolean(o.json),
    });
  });

program
  .command('rebuild-register')
  .description('rebuild a lost register (and the index) from the item manifests in the store')
  .option('--json', 'print the result as JSON')
  .action(async (o: { json?: boolean }) => {
    process.exitCode = await (await rebuildRegisterModule()).rebuildRegisterCommand(config(), {
      json: Boolean(o.json),
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
