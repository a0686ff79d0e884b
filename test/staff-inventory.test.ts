import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRegisterSql } from './support/register-sql.ts';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';

const N = 3000;
const STATUSES = ['available', 'failed', 'processing'] as const;

/** The Buku Inventaris Alih Media over thousands of rows: filters, sort, paging, CSV, XLSX, PDF. */
describe('staff inventory', () => {
  let s: StaffServer;
  let c: StaffClient;

  beforeAll(async () => {
    s = await startStaffServer();
    const { register } = s.pindai;
    for (let i = 0; i < N; i++) {
      await register.items.insert({
        id: `item${String(i).padStart(5, '0')}`,
        title: i === 7 ? '=HYPERLINK("http://x")' : `Buku ${String(i).padStart(5, '0')} Sejarah Daerah`,
        metadata: {
          creator: [`Pengarang ${i % 13}`],
          publisher: 'Balai Pustaka',
          year: 1950 + (i % 60),
          collection: i % 2 ? 'Lokal' : 'Umum',
        },
        flags: [],
        fingerprint: `fp${i}`,
        sourcePath: `/x/${i}`,
        sourceName: `b${i}`,
        intake: 'upload',
        operator: `op${i % 4}`,
      });
    }
    // Dates, states and numbers as after years of work: set directly rather than by processing.
    withRegisterSql(s.pindai.config.registerPath, (db) => {
      const upd = db.prepare(
        `UPDATE items SET created_at = ?, registered_at = ?, status = ?, page_count = ?, nomor_induk = ?,
           source_format = 'jpeg', pdf_key = ?, pdf_bytes = ?, error_message = ? WHERE id = ?`,
      );
      db.transaction(() => {
        for (let i = 0; i < N; i++) {
          const id = `item${String(i).padStart(5, '0')}`;
          const day = new Date(Date.UTC(2026, 0, 1) + i * 3600_000 * 2).toISOString();
          const st = STATUSES[i % 3]!;
          upd.run(
            day,
            day,
            st,
            1 + (i % 300),
            `${String(i + 1).padStart(5, '0')}/AM/2026`,
            st === 'available' ? 'k' : null,
            st === 'available' ? 1000 * i : null,
            st === 'failed' ? 'Berkas rusak' : null,
            id,
          );
        }
      }).immediate();
    });
    await s.addUser('kasie', 'staf', 'kasie-sandi-rahasia');
    c = new StaffClient(s.base);
    expect((await c.login('kasie', 'kasie-sandi-rahasia')).status).toBe(303);
  });
  afterAll(async () => {
    await s?.close();
  });

  const ids = (html: string) => [...html.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]);

  it('pages through every row with an index, newest first by default', async () => {
    const first = await c.get('/staf/inventaris');
    expect(first.status).toBe(200);
    expect(first.text).toContain(`dari ${(3000).toLocaleString('id-ID')}`);
    expect(ids(first.text)[0]).toBe('item02999');
    const deep = await c.get('/staf/inventaris?page=60');
    expect(ids(deep.text)).toHaveLength(50);
    expect(ids(deep.text).at(-1)).toBe('item00000');
    const plan = withRegisterSql(s.pindai.config.registerPath, (db) =>
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id FROM items ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET 2950`,
        )
        .all(),
    ) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX items_created/);
  });

  it('filters by status, date range, collection and operator, and sorts', async () => {
    const r = await c.get(
      '/staf/inventaris?status=failed&operator=op1&collection=Lokal&from=2026-01-01&to=2026-01-31&sort=title&dir=asc&per=500',
    );
    const got = ids(r.text);
    // i ≡ 1 (mod 3) and i ≡ 1 (mod 4) → i ≡ 1 (mod 12); odd → Lokal; January: i*2h < 31 days → i < 372.
    const want = Array.from({ length: 372 }, (_, i) => i)
      .filter((i) => i % 12 === 1)
      .map((i) => `item${String(i).padStart(5, '0')}`);
    expect(got).toEqual(want);
    const bySize = ids((await c.get('/staf/inventaris?sort=size&dir=desc&status=available')).text);
    expect(bySize[0]).toBe('item02997');
  });

  it('exports the filtered inventory as CSV and XLSX, read back', async () => {
    const csv = await fetch(`${s.base}/staf/inventaris.csv?status=available&collection=Umum`, {
      headers: { cookie: `pindai_sesi=${c.cookies.get('pindai_sesi')}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('Nomor Induk Alih Media,Tanggal,Nomor Induk Sumber,Nomor Panggil,Judul,')).toBe(
      true,
    );
    const lines = text.trim().split('\r\n');
    // available: i ≡ 0 (mod 3); Umum: even → i ≡ 0 (mod 6).
    expect(lines.length - 1).toBe(500);
    expect(lines[1]).toContain('00001/AM/2026');
    expect(lines[1]).toContain('Buku 00000 Sejarah Daerah');

    const all = await (
      await fetch(`${s.base}/staf/inventaris.csv`, {
        headers: { cookie: `pindai_sesi=${c.cookies.get('pindai_sesi')}` },
      })
    ).text();
    expect(all).toContain(`"'=HYPERLINK(""http://x"")"`);

    const x = await fetch(`${s.base}/staf/inventaris.xlsx?status=failed`, {
      headers: { cookie: `pindai_sesi=${c.cookies.get('pindai_sesi')}` },
    });
    expect(x.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await x.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(1 + 1000);
    expect(ws.getRow(1).getCell(1).value).toBe('Nomor Induk Alih Media');
    expect(ws.getRow(2).getCell(5).value).toBe('Buku 00001 Sejarah Daerah');
    expect(ws.getRow(2).getCell(16).value).toBe('gagal');
    expect(ws.getRow(2).getCell(17).value).toBe('Berkas rusak');
    expect(ws.getRow(2).getCell(9).value).toBe(2);
  });

  it('prints the register for a period as a PDF with the signature block', async () => {
    const r = await fetch(
      `${s.base}/staf/inventaris.pdf?from=2026-01-01&to=2026-01-02&place=Sleman&signer=${encodeURIComponent('Dra. Sri Rahayu')}&nip=19700101&date=2026-02-01`,
      { headers: { cookie: `pindai_sesi=${c.cookies.get('pindai_sesi')}` } },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    const file = path.join(s.root, 'register.pdf');
    fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('BUKU INVENTARIS ALIH MEDIA');
    expect(text).toContain('Periode: 1 Januari 2026 s.d. 2 Januari 2026');
    expect(text).toContain('Buku 00000 Sejarah');
    expect(text).toContain('Buku 00023 Sejarah');
    expect(text).not.toContain('Buku 00024 Sejarah');
    expect(text).toContain('Jumlah: 24 item');
    expect(text).toContain('Kepala Seksi Alih Media');
    expect(text).toContain('Sleman, 1 Februari 2026');
    expect(text).toContain('Dra. Sri Rahayu');
    expect(text).toContain('NIP. 19700101');
  });
});
