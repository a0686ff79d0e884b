import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pindai } from './support/run-cli.ts';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';

/** RFC 4180 as a spreadsheet program reads it: quoted cells, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  const endRow = () => {
    endCell();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted && ch === '"' && s[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (quoted) cell += ch;
    else if (ch === ',') endCell();
    else if (ch === '\r' && s[i + 1] === '\n') {
      endRow();
      i++;
    } else cell += ch;
  }
  if (cell || row.length) endRow();
  return rows;
}

/** A cell a spreadsheet would run as a formula. */
const live = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(\.\d+)?$/.test(cell);

const HYPERLINK = '=HYPERLINK("http://x","y")';
const SUM = '@SUM(1)';
const CMD = "-2+3+cmd|' /C calc'!A0";

/** Every CSV export (staff downloads and the CLI) neutralises formula-looking cells. */
describe('CSV exports: no spreadsheet formulas from stored text', () => {
  let s: StaffServer;
  let admin: StaffClient;

  beforeAll(async () => {
    s = await startStaffServer();
    await s.addUser('admin', 'admin', 'admin-sandi-rahasia');
    // Failed sign-ins: the names typed into the public form land in the audit log as given.
    for (const name of [HYPERLINK, SUM]) {
      const anon = new StaffClient(s.base);
      expect((await anon.login(name, 'salah-sandi')).status).toBe(401);
    }
    const { register } = s.pindai;
    for (const [i, title, operator] of [
      [1, HYPERLINK, SUM],
      [2, CMD, HYPERLINK],
      [3, '\tTAB', 'op'],
    ] as const) {
      await register.items.insert({
        id: `csv${i}`,
        title,
        metadata: { creator: [SUM] },
        flags: [],
        fingerprint: `fp-csv${i}`,
        sourcePath: `/x/${i}`,
        sourceName: `b${i}`,
        intake: 'upload',
        operator,
      });
    }
    admin = new StaffClient(s.base);
    expect((await admin.login('admin', 'admin-sandi-rahasia')).status).toBe(303);
  });
  afterAll(async () => {
    await s?.close();
  });

  const download = async (p: string) => {
    const r = await admin.get(p, { accept: '*/*' });
    expect(r.status, p).toBe(200);
    return r.res;
  };
  const csvOf = async (p: string) => parseCsv(await (await download(p)).text());
  const cells = (rows: string[][]) => rows.flat();

  it('audit.csv: failed sign-in names come out as text', async () => {
    const all = cells(await csvOf('/staf/audit.csv'));
    expect(all).toContain(`'${HYPERLINK}`);
    expect(all).toContain(`'${SUM}`);
    expect(all.filter(live)).toEqual([]);
  });

  it('laporan.csv: operator names come out as text, counts stay numbers', async () => {
    const rows = await csvOf('/staf/laporan.csv?jenis=operator');
    expect(cells(rows)).toContain(`'${HYPERLINK}`);
    expect(cells(rows)).toContain(`'${SUM}`);
    expect(cells(rows).filter(live)).toEqual([]);
    expect(rows.find((r) => r[0] === `'${SUM}`)?.[1]).toBe('1');
  });

  it('inventaris.csv: titles and creators come out as text', async () => {
    const all = cells(await csvOf('/staf/inventaris.csv'));
    expect(all).toEqual(expect.arrayContaining([`'${HYPERLINK}`, `'${CMD}`, `'\tTAB`, `'${SUM}`]));
    expect(all.filter(live)).toEqual([]);
  });

  it('inventaris.xlsx: a title starting with = is a text cell, not a formula', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await (await download('/staf/inventaris.xlsx')).arrayBuffer()) as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const found: ExcelJS.Cell[] = [];
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string' && cell.value.includes('HYPERLINK')) found.push(cell);
      }),
    );
    expect(found.length).toBeGreaterThan(0);
    for (const cell of found) {
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
    }
  });

  it('pindai inventory (CLI): titles come out as text', async () => {
    const r = await pindai(['inventory', '--data', path.join(s.root, 'data')]);
    expect(r.code, r.stderr).toBe(0);
    const all = cells(parseCsv(r.stdout));
    expect(all).toEqual(expect.arrayContaining([`'${HYPERLINK}`, `'${CMD}`, `'${SUM}`]));
    expect(all.filter(live)).toEqual([]);
  });

  it('one CSV writer: no other file builds CSV with csv-stringify or by hand', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (
          /\.tsx?$/.test(e.name) &&
          !/\.(spec|test)\.tsx?$/.test(e.name) &&
          p !== path.join('core', 'csv.ts')
        ) {
          const src = fs.readFileSync(p, 'utf8');
          const usesWriter = /from '(\.\.?\/)+(core\/)?csv\.ts'/.test(src);
          // csv-stringify itself, CSV quote doubling (FTS5 quotes the same way, hence /csv/), or a CSV answer not built by the writer.
          if (
            /from 'csv-stringify/.test(src) ||
            (src.includes(`'""'`) && /csv/i.test(src)) ||
            (/text\/csv/.test(src) && !usesWriter)
          )
            offenders.push(p);
        }
      }
    };
    for (const d of ['core', 'server', 'scripts', 'ingest', 'search', 'workers']) walk(d);
    expect(offenders).toEqual([]);
  });
});
