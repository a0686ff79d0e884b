import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Options, stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';

/** What a CSV cell may hold; null and undefined are empty cells. */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or tab / CR, which they skip before
 * such a sign) as a formula: `=HYPERLINK(…)` from a login name would be a live link in the
 * administrator's spreadsheet. OWASP's advice: prefix such a cell with a single quote, which
 * shows it as text. A plain number ("-3", "+62") is no formula and stays a number.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
export function neutralCell(s: string): string {
  if (!/^[=+\-@\t\r]/.test(s) || /^[+-]?\d+(\.\d+)?$/.test(s)) return s;
  return `'${s}`;
}

/**
 * The one CSV dialect of every export (staff downloads and the CLI): RFC 4180, CRLF, a BOM so
 * spreadsheet programs read the Indonesian text as UTF-8, and every text cell through
 * neutralCell: no caller can forget the formula guard.
 */
const OPTIONS: Options = {
  bom: true,
  record_delimiter: 'windows',
  cast: {
    string: (v) => neutralCell(v),
    object: (v) => neutralCell(JSON.stringify(v)),
  },
};

/**
 * A whole CSV file as a string (small exports: reports, the CLI inventory). `dialect` is for files
 * another program reads rather than a spreadsheet: SLiMS' CSV import skips its header row only when
 * the first cell is exactly "title", which a BOM breaks.
 */
export function csvText(
  rows: Iterable<CsvCell[]>,
  dialect: { bom?: boolean; eol?: 'windows' | 'unix' } = {},
): string {
  return stringifySync([...rows], {
    ...OPTIONS,
    bom: dialect.bom ?? true,
    record_delimiter: dialect.eol ?? 'windows',
  });
}

/**
 * Streams rows as CSV into `out` (an HTTP response), honouring backpressure, and ends it.
 * Resolves when the last byte is handed over, or when the reader has gone away (a download
 * cancelled mid-way is not our error; a failure of the writer itself is).
 */
export async function writeCsv(
  out: Writable,
  rows: Iterable<CsvCell[]> | AsyncIterable<CsvCell[]>,
): Promise<void> {
  const csv = stringify(OPTIONS);
  const done = pipeline(csv, out).catch((err: unknown) => {
    if (csv.errored) throw err;
  });
  for await (const row of rows) {
    if (out.destroyed) break;
    if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve).once('close', resolve));
  }
  csv.end();
  await done;
}
