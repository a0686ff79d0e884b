import type { Config } from '../../core/config.ts';
import { copyRegisterToPg } from '../../core/register/pg/copy-from-sqlite.ts';
import { createPgPool } from '../../core/register/pg/pool.ts';

/**
 * `pindai register copy --to postgres://…`: copy the embedded register (this data folder's
 * register.sqlite) into PostgreSQL, verified table by table; run it again to go on after a stop.
 * Exit status 1 when a table does not verify (e.g. the target already held other rows).
 */
export async function registerCopyCommand(
  config: Config,
  to: string,
  opts: { json: boolean },
): Promise<number> {
  if (!/^postgres(ql)?:\/\//.test(to)) {
    process.stderr.write('Tujuan harus URL PostgreSQL: postgres://pengguna:sandi@host:5432/basisdata\n');
    return 2;
  }
  const pool = createPgPool(to, { max: 2 });
  try {
    const report = await copyRegisterToPg(config.registerPath, pool, {
      onTable: (t) => {
        if (!opts.json)
          process.stderr.write(
            `  ${t.table.padEnd(18)} ${String(t.rows).padStart(8)} baris, ${String(t.copied).padStart(8)} disalin  ${
              t.verified ? 'cocok' : 'TIDAK COCOK'
            }\n`,
          );
      },
    });
    if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else
      process.stdout.write(
        report.ok
          ? `Register disalin ke PostgreSQL dan terverifikasi (skema ${report.schemaVersion}).\n`
          : 'Salinan TIDAK cocok pada tabel bertanda di atas: periksa apakah tujuan sudah berisi data lain.\n',
      );
    return report.ok ? 0 : 1;
  } finally {
    await pool.end();
  }
}
