import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCell } from './support/pdf-cells.ts';
import { withRegisterSql } from './support/register-sql.ts';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';

const HEADERS = [
  'No.',
  'Nomor Induk Alih Media',
  'Tanggal',
  'Nomor Induk Sumber',
  'Nomor Panggil',
  'Judul',
  'Pengarang',
  'Penerbit',
  'Tahun',
  'Halaman',
  'Format Sumber → Hasil',
  'Ukuran Berkas',
  'Operator',
  'Keterangan',
];
const AUTHOR = 'Raden Mas Panji Sosrokartono Wiryodiningrat';
const N = 45;

/** The printed Buku Inventaris: letterhead, whole cells, repeated header, pages, signature. */
describe('printed inventory register', () => {
  let s: StaffServer;
  let c: StaffClient;

  beforeAll(async () => {
    const logo = path.join(fs.mkdtempSync('/tmp/pindai-logo-'), 'logo.png');
    await sharp({ create: { width: 60, height: 60, channels: 3, background: '#2f7dc1' } })
      .png()
      .toFile(logo);
    s = await startStaffServer({
      env: {
        PINDAI_LIBRARY_NAME: 'Perpustakaan Daerah Sleman',
        PINDAI_LIBRARY_UNIT: 'Seksi Alih Media',
        PINDAI_LIBRARY_ADDRESS: 'Jl. Magelang Km 10, Sleman 55511',
        PINDAI_LIBRARY_CONTACT: 'perpus@slemankab.go.id',
        PINDAI_LIBRARY_LOGO: logo,
      },
    });
    const { register } = s.pindai;
    for (let i = 0; i < N; i++) {
      await register.items.insert({
        id: `it${String(i).padStart(3, '0')}`,
        title: `Serat Centhini jilid ${i + 1}: suluk tambangraras amongraga`,
        metadata: {
          creator: [AUTHOR, 'Ki Hajar Dewantara'],
          publisher: 'Balai Pustaka',
          year: 1900 + i,
          callNumber: `899.222 SER ${i + 1}`,
        },
        flags: i === 0 ? [{ code: 'page_count_odd', params: { pages: 121 } }] : [],
        fingerprint: `fp${i}`,
        sourcePath: `/x/${i}`,
        sourceName: `b${i}`,
        intake: 'upload',
        operator: 'wulandari',
      });
    }
    withRegisterSql(s.pindai.config.registerPath, (db) => {
      const upd = db.prepare(
        `UPDATE items SET created_at = ?, registered_at = ?, status = 'available', page_count = 120,
           nomor_induk = ?, source_format = 'jpeg', pdf_key = 'k', pdf_bytes = 2048000 WHERE id = ?`,
      );
      for (let i = 0; i < N; i++) {
        const at = new Date(Date.UTC(2026, 11, 1 + (i % 28), 9)).toISOString();
        upd.run(at, at, `${String(i + 1).padStart(5, '0')}/AM/2026`, `it${String(i).padStart(3, '0')}`);
      }
    });
    await s.addUser('kasie', 'staf', 'kasie-sandi-rahasia');
    c = new StaffClient(s.base);
    expect((await c.login('kasie', 'kasie-sandi-rahasia')).status).toBe(303);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('is a document to sign: letterhead, period in words, whole cells on every page, page numbers', async () => {
    const r = await fetch(
      `${s.base}/staf/inventaris.pdf?from=2026-12-01&to=2026-12-31&place=Sleman&signer=${encodeURIComponent('Dra. Sri Rahayu')}&nip=19700101&date=2026-12-05`,
      { headers: { cookie: `pindai_sesi=${c.cookies.get('pindai_sesi')}` } },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toContain('buku-inventaris-alih-media-2026-12.pdf');
    const file = path.join(s.root, 'register.pdf');
    fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()));

    const pages = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .split('\f')
      .filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(1);
    const first = pages[0] as string;
    for (const line of [
      'PERPUSTAKAAN DAERAH SLEMAN',
      'Seksi Alih Media',
      'Jl. Magelang Km 10, Sleman 55511',
      'perpus@slemankab.go.id',
      'BUKU INVENTARIS ALIH MEDIA',
      'Periode: Desember 2026',
    ])
      expect(first).toContain(line);
    for (const [i, text] of pages.entries()) {
      const lines = text.split('\n');
      expect(text).toContain(`Halaman ${i + 1} dari ${pages.length}`);
      // The header row repeats on every page with the table, every header whole.
      if (i < pages.length - 1 || text.includes('Serat Centhini')) {
        for (const h of HEADERS) expect(inCell(lines, h), `page ${i + 1}: ${h}`).toBe(true);
      }
    }
    const all = pages.map((p) => p.split('\n'));
    const anywhere = (t: string) => all.some((lines) => inCell(lines, t));
    expect(anywhere(`${AUTHOR}; Ki Hajar Dewantara`)).toBe(true);
    expect(anywhere('1 Desember 2026')).toBe(true);
    expect(anywhere('899.222 SER 45')).toBe(true);
    expect(anywhere('wulandari')).toBe(true);
    // Remarks are the item's flags in words, not its status.
    expect(anywhere('Jumlah halaman ganjil (121).')).toBe(true);
    expect(pages.join('\n')).not.toMatch(/\btersedia\b/);
    expect(pages.join('\n')).not.toContain('s.d. semua');
    const last = pages.at(-1) as string;
    expect(last).toContain('Jumlah: 45 item, 5.400 halaman');
    expect(last).toContain('Sleman, 5 Desember 2026');
    expect(last).toContain('Kepala Seksi Alih Media,');
    expect(last).toContain('Dra. Sri Rahayu');
    expect(last).toContain('NIP. 19700101');

    // Rendered: landscape A4 pages, one PNG each (looked at by hand when the layout changes).
    const out = path.join(s.root, 'png');
    fs.mkdirSync(out);
    execFileSync('pdftoppm', ['-r', '40', '-png', file, path.join(out, 'p')]);
    const pngs = fs.readdirSync(out).sort();
    expect(pngs).toHaveLength(pages.length);
    for (const png of pngs) {
      const { width = 0, height = 0 } = await sharp(path.join(out, png)).metadata();
      expect(width / height).toBeCloseTo(842 / 595, 1);
    }
  });

  it('says "semua periode" and names the filters when there is no period', async () => {
    const r = await fetch(`${s.base}/staf/inventaris.pdf?operator=wulandari&place=Sleman`, {
      headers: { cookie: `pindai_sesi=${c.cookies.get('pindai_sesi')}` },
    });
    expect(r.headers.get('content-disposition')).toContain('buku-inventaris-alih-media-semua.pdf');
    const file = path.join(s.root, 'all.pdf');
    fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('Periode: semua periode');
    expect(text).toContain('Hanya: operator wulandari');
  });
});
