import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_TEXT } from './fixtures/make-page.ts';
import { writeBatch } from './support/fixture-batches.ts';
import { pindai } from './support/run-cli.ts';
import { tempDir } from './support/temp-dir.ts';
import { schemaErrors } from './support/xml-schema.ts';

/** The `pindai` command as documented in the README, on a real data folder. */
describe('pindai CLI', () => {
  const root = tempDir();
  const data = path.join(root, 'data');
  const src = path.join(root, 'src');
  let items: {
    id: string;
    nomorInduk: string;
    title: string;
    pages: number;
    status: string;
    public: boolean;
    held?: string;
    error?: string;
  }[];

  beforeAll(async () => {
    await writeBatch(
      src,
      'a-naskah',
      [{ columns: [SAMPLE_TEXT.id2] }, { columns: [SAMPLE_TEXT.en1], format: 'png' }],
      {
        metadata: {
          title: 'Naskah Lama',
          creator: 'Dinas Perpustakaan',
          year: 1950,
          sourceNomorInduk: '77/LP/50',
        },
      },
    );
    await writeBatch(src, 'b-tanpa-metadata', [{ columns: [SAMPLE_TEXT.id1] }]);
    fs.mkdirSync(path.join(src, 'c-rusak'));
    fs.writeFileSync(path.join(src, 'c-rusak', 'p1.jpg'), Buffer.from('not really a jpeg'));
    const r = await pindai(['ingest', src, '--json', '--data', data]);
    expect(r.code, r.stderr).toBe(1); // one batch is rejected
    items = JSON.parse(r.stdout).items;
  });

  it('ingest --json reports every batch with its status and reason', () => {
    expect(items.map((i) => i.status)).toEqual(['available', 'available', 'rejected']);
    expect(items[0]).toMatchObject({ title: 'Naskah Lama', pages: 2 });
    expect(items[1]?.title).toBe('b-tanpa-metadata');
    // Processing finished for both; only the one whose access is known is public.
    expect(items.map((i) => [i.public, i.held])).toEqual([
      [true, undefined],
      [false, 'metadata_missing'],
      [false, undefined],
    ]);
    expect(items[2]?.error).toMatch(/"p1.jpg" bukan gambar hasil pindai: isinya teks biasa/);
  });

  it('a second ingest of the same folder finds the same items, not duplicates', async () => {
    const r = await pindai(['ingest', path.join(src, 'a-naskah'), '--json', '--data', data]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).items[0]).toMatchObject({ id: items[0]?.id, status: 'available' });
  });

  it('search --json returns the page that holds the phrase, best first', async () => {
    const r = await pindai(['search', 'prepare their final examinations', '--json', '--data', data]);
    const out = JSON.parse(r.stdout);
    expect(out.total).toBeGreaterThan(0);
    expect(out.hits[0]).toMatchObject({ itemId: items[0]?.id, page: 2, nomorInduk: items[0]?.nomorInduk });
    expect(out.hits[0].snippet).toMatch(/<mark>/);
  });

  it('export writes the PDF, per-page text, the manifest, and METS with ALTO that validate', async () => {
    const to = path.join(root, 'export');
    const r = await pindai(['export', items[0]!.nomorInduk, '--to', to, '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    const files = fs.readdirSync(to).sort();
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'teks', 'mets.xml', 'alto']));
    expect(files.some((f) => f.endsWith('.pdf'))).toBe(true);
    expect(fs.readFileSync(path.join(to, 'teks', 'hlm-0002.txt'), 'utf8')).toMatch(/reading room keeps/);
    const mets = fs.readFileSync(path.join(to, 'mets.xml'), 'utf8');
    expect(schemaErrors(mets, 'mets.xsd')).toEqual([]);
    expect(fs.readdirSync(path.join(to, 'alto'))).toEqual(['hlm-0001.xml', 'hlm-0002.xml']);
    const alto2 = fs.readFileSync(path.join(to, 'alto', 'hlm-0002.xml'), 'utf8');
    expect(schemaErrors(alto2, 'alto-4-4.xsd')).toEqual([]);
    expect(alto2).toMatch(/CONTENT="reading"/);
    // The METS points at the files beside it, and keeps the originals' checksums.
    const hrefs = [...mets.matchAll(/xlink:href="([^"]+)"/g)].map((m) => m[1] as string);
    expect(hrefs.sort()).toEqual([
      ...files.filter((f) => f.endsWith('.pdf')),
      'alto/hlm-0001.xml',
      'alto/hlm-0002.xml',
    ]);
    for (const h of hrefs) expect(fs.existsSync(path.join(to, h)), h).toBe(true);
    expect(mets.match(/CHECKSUMTYPE="SHA-256"/g)).toHaveLength(2);
    expect((await pindai(['export', 'nope', '--to', to, '--data', data])).code).toBe(1);
  });

  it('export --bagit writes a BagIt bag that sha256sum verifies, and refuses a damaged object', async () => {
    const one = path.join(root, 'bag-one');
    const r = await pindai(['export', items[0]!.nomorInduk, '--bagit', '--to', one, '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(one, 'bagit.txt'), 'utf8')).toBe(
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );
    // An independent tool checks every payload file and every tag file.
    for (const manifest of ['manifest-sha256.txt', 'tagmanifest-sha256.txt']) {
      execFileSync('sha256sum', ['--check', '--strict', '--quiet', manifest], { cwd: one });
    }
    const info = fs.readFileSync(path.join(one, 'bag-info.txt'), 'utf8');
    expect(info).toContain('DC-Title: Naskah Lama');
    expect(info).toContain(`External-Identifier: ${items[0]!.nomorInduk}`);
    const payload = fs.readFileSync(path.join(one, 'manifest-sha256.txt'), 'utf8').trim().split('\n');
    const bytes = payload.reduce((n, line) => n + fs.statSync(path.join(one, line.slice(66))).size, 0);
    expect(info).toContain(`Payload-Oxum: ${bytes}.${payload.length}`);
    // Originals, the PDF and the item manifest are all in it.
    expect(payload.some((l) => l.endsWith('.pdf'))).toBe(true);
    expect(payload.some((l) => /\/originals?\//.test(l))).toBe(true);
    expect(payload.some((l) => l.endsWith('/manifest.json'))).toBe(true);

    const all = path.join(root, 'bag-all');
    expect((await pindai(['export', '--bagit', '--all', '--to', all, '--data', data])).code).toBe(0);
    const allInfo = fs.readFileSync(path.join(all, 'bag-info.txt'), 'utf8');
    expect(allInfo.match(/^External-Identifier:/gm)).toHaveLength(2);
    execFileSync('sha256sum', ['--check', '--strict', '--quiet', 'manifest-sha256.txt'], { cwd: all });

    // Damage one stored object: the export stops, names it, and leaves no bag behind.
    const storeDir = path.join(data, 'store', 'objects', 'items', items[0]!.id);
    const pdf = fs
      .readdirSync(storeDir, { recursive: true })
      .map(String)
      .find((f) => f.endsWith('.pdf'))!;
    const pdfPath = path.join(storeDir, pdf);
    const good = fs.readFileSync(pdfPath);
    fs.writeFileSync(pdfPath, Buffer.concat([good.subarray(0, 100), Buffer.from('x'), good.subarray(101)]));
    try {
      const bad = path.join(root, 'bag-bad');
      const refused = await pindai(['export', items[0]!.nomorInduk, '--bagit', '--to', bad, '--data', data]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/tidak cocok dengan SHA-256.*rusak/);
      expect(refused.stderr).toContain('.pdf');
      expect(fs.existsSync(bad)).toBe(false);
      expect(fs.existsSync(`${bad}.partial`)).toBe(false);
    } finally {
      fs.writeFileSync(pdfPath, good);
    }
    // An existing folder is never written into.
    expect(
      (await pindai(['export', items[0]!.nomorInduk, '--bagit', '--to', one, '--data', data])).code,
    ).toBe(1);
  });

  it('export --for inlislite|slims writes the PDF, a MARCXML record linking the public page and a CSV the catalogue imports', async () => {
    const ni = items[0]!.nomorInduk;
    const to = path.join(root, 'for-inlislite');
    // The 856 link needs the site's fixed address.
    const noUrl = await pindai(['export', ni, '--for', 'inlislite', '--to', to, '--data', data]);
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toContain('PINDAI_PUBLIC_URL');
    const env = { PINDAI_PUBLIC_URL: 'https://koleksi.contoh.go.id' };
    const r = await pindai(['export', ni, '--for', 'inlislite', '--to', to, '--data', data], env);
    expect(r.code, r.stderr).toBe(0);
    const files = fs.readdirSync(to).sort();
    const name = ni.replace(/\//g, '-');
    expect(files).toEqual(
      [`${name}.pdf`, `${name}.mrc`, 'katalog-inlislite.csv', 'katalog-inlislite.xlsx', 'marc.xml'].sort(),
    );
    const marc = fs.readFileSync(path.join(to, 'marc.xml'), 'utf8');
    expect(schemaErrors(marc, 'MARC21slim.xsd')).toEqual([]);
    expect(marc).toContain(`https://koleksi.contoh.go.id/item/${items[0]!.id}`);
    expect(marc).toContain('Naskah Lama');
    // The CSV round-trips through the catalogue import.
    const other = path.join(root, 'data-katalog');
    const imported = await pindai(
      ['catalog', 'import', path.join(to, 'katalog-inlislite.csv'), '--json', '--data', other],
      env,
    );
    expect(imported.code, imported.stderr).toBe(0);
    const slims = path.join(root, 'for-slims');
    // --all takes the public items only, and says how many it left out.
    const all = await pindai(['export', '--all', '--for', 'slims', '--to', slims, '--data', data], env);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain('1 item tidak publik dilewati');
    const csvRows = fs.readFileSync(path.join(slims, 'katalog-slims.csv'), 'utf8').trim().split('\n');
    expect(csvRows).toHaveLength(2);
    expect(csvRows[0]).toMatch(/^title,gmd_name,.*,authors,topics,item_code$/);
    // A named item that is not public (held) is refused: never exported for the catalogue.
    const held = await pindai(
      ['export', items[1]!.nomorInduk, '--for', 'slims', '--to', path.join(root, 'held'), '--data', data],
      env,
    );
    expect(held.code).toBe(1);
    expect(held.stderr).toMatch(/tidak publik/);
  });

  it('inventory lists the Buku Inventaris as CSV and JSON, with staff remarks', async () => {
    const csv = (await pindai(['inventory', '--data', data])).stdout;
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^Nomor Induk Alih Media,Tanggal,Nomor Induk Sumber,Nomor Panggil,Judul/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('77/LP/50');
    const json = JSON.parse((await pindai(['inventory', '--format', 'json', '--data', data])).stdout);
    // The staff inventory's remarks: the hold's sentence with its reason filled in, no `{why}` left.
    expect(json.items[1].keterangan).toMatch(/^Ditahan untuk ditinjau.*tidak ada metadata\.json/);
    expect(json.items[1].keterangan).not.toContain('{');
    expect(Object.keys(json.items[1])).toEqual(expect.arrayContaining(['penerbit', 'koleksi', 'tahap']));
    expect(json.items.map((r: { status: string }) => r.status)).toEqual(['tersedia', 'tersedia']);
  });

  it('refuses bad configuration with one clear message', async () => {
    const r = await pindai(['search', 'x', '--data', data], { PINDAI_PORT: 'abc', PINDAI_LANG: 'fr' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PINDAI_PORT/);
    expect(r.stderr).toMatch(/PINDAI_LANG/);
  });
});
