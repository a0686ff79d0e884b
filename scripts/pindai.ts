import { Command } from 'commander';
import { ConfigError, loadConfig } from '../core/config.ts';
import { exportCommand } from './commands/export.command.ts';
import { ingestCommand } from './commands/ingest.command.ts';
import { inventoryCommand } from './commands/inventory.command.ts';
import { searchCommand } from './commands/search.command.ts';
import { serveCommand } from './commands/serve.command.ts';
import { userAddCommand } from './commands/user.command.ts';

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
    await serveCommand(config());
  });

program
  .command('ingest <dir>')
  .description('accept every batch under <dir> and run the pipeline to the end')
  .option('--json', 'print the result as JSON')
  .action(async (dir: string, o: { json?: boolean }) => {
    process.exitCode = await ingestCommand(config(), dir, { json: Boolean(o.json) });
  });

program
  .command('search <query>')
  .description('search the collection, best first')
  .option('--json', 'print the result as JSON')
  .option('--limit <n>', 'number of hits', '10')
  .action(async (q: string, o: { json?: boolean; limit: string }) => {
    await searchCommand(config(), q, { json: Boolean(o.json), limit: Number(o.limit) });
  });

program
  .command('export <item>')
  .description('write an item (id or nomor induk) as PDF, per-page text and manifest')
  .requiredOption('--to <dir>', 'target folder')
  .action(async (item: string, o: { to: string }) => {
    process.exitCode = await exportCommand(config(), item, o.to);
  });

program
  .command('inventory')
  .description('the Buku Inventaris Alih Media')
  .option('--format <format>', 'csv or json', 'csv')
  .action(async (o: { format: string }) => {
    await inventoryCommand(config(), o.format === 'json' ? 'json' : 'csv');
  });

program
  .command('user')
  .description('staff accounts for the workspace at /staf')
  .command('add <name>')
  .description('create a staff account; the password is asked for, or read from stdin')
  .requiredOption('--role <role>', 'admin, staf or operator')
  .option('--display-name <text>', 'full name shown in the workspace')
  .option('--password-stdin', 'read the password from standard input')
  .action(async (name: string, o: { role: string; displayName?: string; passwordStdin?: boolean }) => {
    process.exitCode = await userAddCommand(config(), name, o);
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
