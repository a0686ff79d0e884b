import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';

const H = 3600_000;
const MIN = 60_000;

/**
 * Items handed in by two operators and reviewed by a third person, at known times (recorded as
 * steps through the register, no OCR): the SOP report's elapsed times, staff times and capacity.
 *
 * ani, 1 Dec: 08:00, 08:50, 09:50, 13:00 (gaps 50 and 60 min; 190 min is a break)
 * ani, 2 Dec: 08:00, 09:10 (gap 70 min)           → staff time per book: median of 50, 60, 70 = 1 h
 * budi, 30 Nov: 09:00, 10:00 (gap 60 min)
 * arrival → available: ani 2, 3, 4, 5, 24 h and one not yet; budi 1 and 10 h
 * kasi reviews on 2 Dec at 10:00, 10:04, 10:10     → 4 and 6 min: median 5 min (within 5 min)
 * capacity: 8 items on 3 operator-days = 2.7 a day (SOP: 8 h ÷ 1 h = 8)
 */
const ARRIVALS: { op: string; at: string; elapsedH: number | null }[] = [
  { op: 'budi', at: '2026-11-30T09:00:00.000Z', elapsedH: 1 },
  { op: 'budi', at: '2026-11-30T10:00:00.000Z', elapsedH: 10 },
  { op: 'ani', at: '2026-12-01T08:00:00.000Z', elapsedH: 2 },
  { op: 'ani', at: '2026-12-01T08:50:00.000Z', elapsedH: 4 },
  { op: 'ani', at: '2026-12-01T09:50:00.000Z', elapsedH: 24 },
  { op: 'ani', at: '2026-12-01T13:00:00.000Z', elapsedH: 3 },
  { op: 'ani', at: '2026-12-02T08:00:00.000Z', elapsedH: 5 },
  { op: 'ani', at: '2026-12-02T09:10:00.000Z', elapsedH: null },
];
const REVIEWS = ['2026-12-02T10:00:00.000Z', '2026-12-02T10:04:00.000Z', '2026-12-02T10:10:00.000Z'];

/** The cells of each body row of the table with this id, as text. */
function tableRows(html: string, id: string): string[][] {
  const table = html.match(new RegExp(`<table[^>]*id="${id}"[\\s\\S]*?</table>`))?.[0] ?? '';
  const body = table.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...(r[1] as string).matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) =>
      (c[1] as string).replace(/<[^>]+>/g, '').trim(),
    ),
  );
}

describe('SOP report: staff time, not machine time', () => {
  let s: StaffServer;
  let c: StaffClient;

  beforeAll(async () => {
    s = await startStaffServer();
    const { register } = s.pindai;
    for (const [i, a] of ARRIVALS.entries()) {
      const id = `sop${i}`;
      await register.items.insert({
        id,
        title: `Buku ${i}`,
        metadata: {},
        flags: [],
        fingerprint: `fp${i}`,
        sourcePath: `/x/${i}`,
        sourceName: `b${i}`,
        intake: 'upload',
        operator: a.op,
      });
      await register.steps.record({ itemId: id, step: 'arrived', at: a.at, username: a.op });
      const t = Date.parse(a.at);
      await register.steps.record({
        itemId: id,
        step: 'accepted',
        at: new Date(t + MIN).toISOString(),
        username: a.op,
      });
      if (a.elapsedH !== null)
        await register.steps.record({
          itemId: id,
          step: 'published',
          at: new Date(t + a.elapsedH * H).toISOString(),
          username: null,
        });
    }
    for (const [i, at] of REVIEWS.entries())
      await register.steps.record({ itemId: `sop${2 + i}`, step: 'reviewed', at, username: 'kasi' });
    await s.addUser('kasie', 'staf', 'kasie-sandi-rahasia');
    c = new StaffClient(s.base);
    expect((await c.login('kasie', 'kasie-sandi-rahasia')).status).toBe(303);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows elapsed and staff times per month and operator, the norms, and capacity', async () => {
    const r = await c.get('/staf/laporan');
    expect(r.status).toBe(200);
    expect(tableRows(r.text, 'sop-langkah')).toEqual([
      ['Pemindaian dan registrasi per buku (operator)', '1 jam 5 menit', '1 jam', '4', 'sesuai standar'],
      ['Entri dan tinjauan per berkas (staf)', '5 menit', '5 menit', '2', 'sesuai standar'],
    ]);
    expect(r.text).toContain(
      'Kapasitas: SOP 8 item/hari per operator; nyata: 2,7 item/hari (3 hari kerja operator).',
    );
    expect(tableRows(r.text, 'sop-bulan')).toEqual([
      ['November 2026', '2', '2', '5 jam 30 menit', '10 jam', '1 jam', '–'],
      ['Desember 2026', '6', '5', '4 jam', '1 hari', '1 jam', '5 menit'],
    ]);
    expect(tableRows(r.text, 'sop-operator')).toEqual([
      ['ani', '6', '5', '4 jam', '1 hari', '1 jam', '2', '3'],
      ['budi', '2', '2', '5 jam 30 menit', '10 jam', '1 jam', '1', '2'],
    ]);
    // What is measured is said, and machine time is kept apart from staff time.
    expect(r.text).toContain('waktu mesin (pembersihan, OCR, pembuatan PDF) bukan waktu staf');
    expect(r.text).toContain('Waktu mesin per tahap (bukan waktu staf)');
  });

  it('counts only the period asked for, and says the same in its CSV files', async () => {
    const r = await c.get('/staf/laporan?from=2026-12-01&to=2026-12-31');
    expect(r.text).toContain('nyata: 3 item/hari (2 hari kerja operator).');
    expect(tableRows(r.text, 'sop-operator').map((row) => row[0])).toEqual(['ani']);

    const csvOf = async (q: string) =>
      (
        await (
          await fetch(`${s.base}/staf/laporan.csv?${q}`, {
            headers: { cookie: `pindai_sesi=${c.cookies.get('pindai_sesi')}` },
          })
        ).text()
      ).replace(/^\uFEFF/, '');
    expect((await csvOf('jenis=sop-operator')).trim().split('\r\n')).toEqual([
      'Operator,Item tiba,Sudah tersedia,Median tiba → tersedia (menit),p90 tiba → tersedia (menit),Waktu staf per buku (median) (menit),Hari kerja,Item/hari',
      'ani,6,5,240,1440,60,2,3',
      'budi,2,2,330,600,60,1,2',
    ]);
    expect((await csvOf('jenis=sop-bulan')).trim().split('\r\n').slice(1)).toEqual([
      '2026-11,2,2,330,600,60,',
      '2026-12,6,5,240,1440,60,5',
    ]);
  });

  it('item page: the item’s own human steps and arrival → availability against the norms, machine time labelled apart', async () => {
    // sop3: ani hands it in 1 Dec 08:50 (50 min after her 08:00 batch), available 4 h later;
    // kasi reviews it 2 Dec 10:04 (4 min after the review before).
    const r = await c.get('/staf/item/sop3');
    expect(r.status).toBe(200);
    expect(tableRows(r.text, 'langkah-staf')).toEqual([
      ['Tiba di inbox', '1 Des 2026, 08.50', 'ani', '50 menit', '1 jam 5 menit', 'sesuai standar'],
      ['Diterima dan diberi nomor induk', '1 Des 2026, 08.51', 'ani', '–', '–', ''],
      ['Terbit di koleksi', '1 Des 2026, 12.50', 'otomatis', '–', '–', ''],
      ['Tinjauan hak akses', '2 Des 2026, 10.04', 'kasi', '4 menit', '5 menit', 'sesuai standar'],
    ]);
    expect(r.text).toContain('Lama dari tiba di inbox sampai tersedia (waktu kalender): 4 jam');
    expect(r.text).toContain('standar SOP per item 1 jam 10 menit');
    expect(r.text).toMatch(/id="lama-tersedia"[^>]*>[\s\S]*?melebihi standar/);
    // No stage run compared with a staff norm: machine time is only ever called machine time.
    expect(r.text).not.toContain('Registrasi (5 menit/buku)');
    expect(r.text).toContain('Waktu mesin semua tahap (bukan waktu staf)');

    const pending = await c.get('/staf/item/sop7');
    expect(pending.text).toContain('Belum tersedia');
  });
});
