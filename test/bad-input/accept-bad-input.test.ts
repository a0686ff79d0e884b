import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageOf } from '../../ingest/problems.ts';
import { makePage, SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { tempDir } from '../support/temp-dir.ts';
import { createTestApp, type TestApp, writeFiles } from '../support/test-app.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A real PNG whose header claims `width`×`height`: decodes to gigapixels, a few hundred bytes on disk. */
function pixelBomb(tiny: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(tiny);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

const MINIMAL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
    'trailer<</Root 1 0 R>>\n%%EOF\n',
);
const ENCRYPTED_PDF = Buffer.from(
  '%PDF-1.6\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
    '3 0 obj<</Filter/Standard/V 2/R 3/Length 128/P -44/O(xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx)' +
    '/U(yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy)>>endobj\ntrailer<</Root 1 0 R/Encrypt 3 0 R>>\n%%EOF\n',
);
const SVG = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="50000" height="50000"><rect width="10" height="10"/></svg>',
);

/**
 * Bad input through the one intake entry (acceptBatch) with the real register, store and sharp:
 * each case gets a clear reason in Bahasa Indonesia, the process stays up (every case runs in this
 * one process, one after another), and the original is left byte for byte as it was.
 */
describe('bad input: clear reason, nothing lost, process stays up', () => {
  const root = tempDir();
  const inbox = path.join(root, 'data', 'inbox');
  let app: TestApp;
  let good: Buffer;
  let goodPng: Buffer;
  let n = 0;
  /** A page unlike every other in this file (identical pages would be duplicates of each other). */
  const fresh = () => makePage({ columns: [SAMPLE_TEXT.id1], width: 500 + ++n * 8, height: 600 });

  beforeAll(async () => {
    app = createTestApp(path.join(root, 'data'), { env: { PINDAI_MAX_PIXELS: '20000000' } });
    good = await makePage({ columns: [SAMPLE_TEXT.id1], width: 600, height: 700 });
    goodPng = await sharp(good).png().toBuffer();
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Accept `files` as batch `name`; expect a rejection whose reason matches; originals untouched. */
  async function expectRejected(name: string, files: Record<string, Buffer | string>, reason: RegExp) {
    const dir = writeFiles(inbox, name, files);
    const before = Object.fromEntries(
      Object.entries(files).map(([f, d]) => [f, sha(Buffer.isBuffer(d) ? d : Buffer.from(d))]),
    );
    const r = await app.accept(dir);
    expect(r.status).toBe('rejected');
    const text = r.problems.map((p) => messageOf('id', p)).join('\n');
    expect(text).toMatch(reason);
    const moved = path.join(app.config.failedDir, name);
    expect(r.movedTo).toBe(moved);
    expect(fs.readFileSync(path.join(moved, 'ALASAN.txt'), 'utf8')).toMatch(reason);
    for (const [f, h] of Object.entries(before)) expect(sha(fs.readFileSync(path.join(moved, f)))).toBe(h);
    expect((await app.register.items.list()).filter((i) => i.sourceName === name)).toEqual([]);
    // Recorded for /staf too, with the same reasons: not only the folder in gagal/ knows.
    expect((await app.register.rejections.list())[0]).toMatchObject({
      batchName: name,
      problems: r.problems,
      movedTo: moved,
    });
    return text;
  }

  it('refuses a pixel bomb by its declared size, before decoding it', async () => {
    const tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .greyscale()
      .png()
      .toBuffer();
    const bomb = pixelBomb(tiny, 60_000, 60_000);
    expect(bomb.length).toBeLessThan(200);
    await expectRejected(
      'bom piksel',
      { 'p1.png': bomb },
      /terlalu besar \(60000×60000 piksel; batas 20000000/,
    );
    // The explicit limit holds for an honest image too: 5000×5000 = 25 MP > 20 MP.
    const big = await sharp({ create: { width: 5000, height: 5000, channels: 3, background: '#fff' } })
      .greyscale()
      .png({ compressionLevel: 9 })
      .toBuffer();
    await expectRejected('terlalu besar', { 'p1.png': big }, /terlalu besar \(5000×5000 piksel/);
  });

  it('refuses a truncated JPEG and a TIFF whose offsets point outside the file', async () => {
    await expectRejected(
      'jpeg terpotong',
      { 'p1.jpg': good, 'p2.jpg': good.subarray(0, Math.floor(good.length * 0.6)) },
      /"p2\.jpg" terpotong/,
    );
    const tiff = await sharp(good).tiff({ compression: 'none' }).toBuffer();
    const brokenIfd = Buffer.from(tiff);
    brokenIfd.writeUInt32LE(0x7fff_fff0, 4); // first IFD far beyond the end of the file
    const brokenStrips = Buffer.from(tiff.subarray(0, 4096)); // IFD fine, strip data cut off
    await expectRejected('tiff rusak', { 'p1.tif': brokenIfd }, /"p1\.tif" rusak/);
    await expectRejected('tiff terpotong', { 'p1.tif': brokenStrips }, /"p1\.tif" rusak/);
  });

  it('refuses zero-byte files, and an SVG renamed .tif, naming what it really is; reads a PDF by content', async () => {
    await expectRejected('kosong', { 'p1.jpg': good, 'p2.jpg': '' }, /"p2\.jpg" kosong \(0 bita\)/);
    await expectRejected('svg menyamar', { 'p1.tif': SVG }, /"p1\.tif" sebenarnya gambar vektor SVG/);
    // Judged by its content: a PDF named .tif is a PDF (here one without pages, so refused as such).
    await expectRejected('pdf menyamar', { 'p1.tif': MINIMAL_PDF }, /"p1\.tif" adalah PDF yang rusak/);
  });

  it('explains encrypted, broken and empty PDFs; a damaged PDF beside good pages refuses the batch', async () => {
    await expectRejected(
      'pdf terenkripsi',
      { 'buku.pdf': ENCRYPTED_PDF },
      /"buku\.pdf" adalah PDF terenkripsi/,
    );
    await expectRejected(
      'pdf rusak',
      { 'buku.pdf': MINIMAL_PDF.subarray(0, 60) },
      /"buku\.pdf" adalah PDF yang rusak atau tidak lengkap/,
    );
    await expectRejected(
      'dengan pdf rusak',
      { 'p1.jpg': await fresh(), 'ekspor.pdf': MINIMAL_PDF },
      /"ekspor\.pdf" adalah PDF yang rusak.*tidak ada halaman|"ekspor\.pdf" adalah PDF yang rusak/,
    );
  });

  it('never follows a symlink: nothing outside the inbox is read or written', async () => {
    const outside = path.join(root, 'luar');
    fs.mkdirSync(outside);
    const secret = await makePage({ columns: [SAMPLE_TEXT.id2], width: 600, height: 700 });
    fs.writeFileSync(path.join(outside, 'rahasia.jpg'), secret);
    // A page that is a link out of the inbox, and a sub-folder link to `..`.
    const dir = writeFiles(inbox, 'tautan', { 'p1.jpg': await fresh() });
    fs.symlinkSync(path.join(outside, 'rahasia.jpg'), path.join(dir, 'p2.jpg'));
    fs.symlinkSync('..', path.join(dir, 'naik'));
    fs.symlinkSync('../../../luar/rahasia.jpg', path.join(dir, 'p3.jpg'));
    const r = await app.accept(dir);
    expect(r.status).toBe('accepted');
    expect(r.item?.pageCount).toBe(1);
    const receipt = fs.readFileSync(path.join(r.movedTo ?? '', 'HASIL.txt'), 'utf8');
    expect(receipt).toMatch(/tidak aman dan dilewati: "p2\.jpg" \(symlink\)/);
    expect(receipt).toMatch(/"naik" \(symlink\)/);
    // A batch folder that is itself a link to a folder outside: refused, nothing written there.
    fs.symlinkSync(outside, path.join(inbox, 'folder tautan'));
    const linked = await app.accept(path.join(inbox, 'folder tautan'));
    expect(linked.status).toBe('rejected');
    expect(messageOf('id', linked.problems[0] ?? { code: '' })).toMatch(/tidak aman.*symlink/);
    expect(fs.readdirSync(outside)).toEqual(['rahasia.jpg']);
    const stored: string[] = [];
    for await (const o of app.store.list('items/')) stored.push(await app.store.sha256(o.key));
    expect(stored).not.toContain(sha(secret));
  });

  it('skips a FIFO without hanging, and refuses a batch of FIFOs only', async () => {
    const dir = writeFiles(inbox, 'fifo', { 'p1.jpg': await fresh() });
    execFileSync('mkfifo', [path.join(dir, 'p2.jpg')]);
    const r = await app.accept(dir);
    expect(r.status).toBe('accepted');
    expect(r.item?.pageCount).toBe(1);
    const only = path.join(inbox, 'fifo saja');
    fs.mkdirSync(only);
    execFileSync('mkfifo', [path.join(only, 'p1.jpg')]);
    const r2 = await app.accept(only);
    expect(r2.status).toBe('rejected');
    const text = r2.problems.map((p) => messageOf('id', p)).join('\n');
    expect(text).toMatch(/"p1\.jpg" \(FIFO\)/);
    expect(text).toMatch(/tidak berisi halaman pindaian/);
  });

  it('keeps folder and file names with spaces and non-ASCII, NFC and NFD, exactly', async () => {
    const folder = 'Cerita Rakyat Sumatera — édisi ü'.normalize('NFD');
    const nfc = 'halaman é 1.jpg'.normalize('NFC');
    const nfd = 'halaman ü 2.png'.normalize('NFD');
    expect(nfc).not.toBe(nfc.normalize('NFD'));
    const dir = writeFiles(inbox, folder, { [nfc]: good, [nfd]: goodPng });
    const r = await app.accept(dir);
    expect(r.status).toBe('accepted');
    expect(r.item?.sourceName).toBe(folder);
    expect(r.item?.title).toBe(folder.normalize('NFC'));
    expect(r.movedTo).toBe(path.join(app.config.archiveDir, folder));
    expect(fs.readdirSync(r.movedTo ?? '').sort()).toEqual(['HASIL.txt', nfc, nfd].sort());
    const pages = await app.register.pages.list(r.item?.id ?? '');
    expect(pages.map((p) => p.sourceFile)).toEqual([nfc, nfd]);
    expect(await app.store.getBuffer(pages[1]?.originalKey ?? '')).toEqual(goodPng);
  });

  it('reports a duplicate batch as a duplicate of the first item, leaving it in gagal/', async () => {
    const a = await makePage({ columns: [SAMPLE_TEXT.id3], width: 600, height: 700 });
    const first = await app.accept(writeFiles(inbox, 'asli', { 'p1.jpg': a }));
    expect(first.status).toBe('accepted');
    const dir = writeFiles(inbox, 'salinan', { 'p1.jpg': a });
    const r = await app.accept(dir);
    expect(r.status).toBe('duplicate');
    expect(r.item?.id).toBe(first.item?.id);
    const reason = fs.readFileSync(path.join(app.config.failedDir, 'salinan', 'ALASAN.txt'), 'utf8');
    expect(reason).toMatch(/sama persis dengan item/);
    expect(fs.readFileSync(path.join(app.config.failedDir, 'salinan', 'p1.jpg'))).toEqual(a);
  });

  it('flags page-number gaps for staff', async () => {
    const pages = await Promise.all(
      [SAMPLE_TEXT.id1, SAMPLE_TEXT.id2, SAMPLE_TEXT.en1].map((t) =>
        makePage({ columns: [t], width: 500, height: 600 }),
      ),
    );
    const dir = writeFiles(inbox, 'bolong', {
      'scan-001.jpg': pages[0] as Buffer,
      'scan-002.jpg': pages[1] as Buffer,
      'scan-005.jpg': pages[2] as Buffer,
    });
    const r = await app.accept(dir);
    expect(r.status).toBe('accepted');
    expect(r.item?.flags).toContainEqual({ code: 'page_number_gap', params: { detail: '3, 4' } });
    expect(fs.readFileSync(path.join(r.movedTo ?? '', 'HASIL.txt'), 'utf8')).toMatch(
      /Nomor halaman melompat: 3, 4/,
    );
  });

  it('a half-copied page is waited for while still fresh, then accepted once complete', async () => {
    const dir = writeFiles(inbox, 'penyalin lambat', { 'p1.jpg': await fresh() });
    const page2 = await makePage({ columns: [SAMPLE_TEXT.id2], width: 600, height: 700 });
    const fd = fs.openSync(path.join(dir, 'p2.jpg'), 'w');
    fs.writeSync(fd, page2.subarray(0, 1000));
    // The writer has paused longer than any quiet period; the page is still fresh: not rejected.
    await expect(app.accept(dir, { incompleteGraceMs: 60_000 })).rejects.toMatchObject({
      code: 'batch_incomplete',
      retryable: true,
    });
    expect(fs.existsSync(path.join(dir, 'p1.jpg'))).toBe(true);
    fs.writeSync(fd, page2.subarray(1000));
    fs.closeSync(fd);
    const r = await app.accept(dir, { incompleteGraceMs: 60_000 });
    expect(r.status).toBe('accepted');
    expect(r.item?.pageCount).toBe(2);
    // The rest of a batch arriving later under the same folder name is flagged as a possible continuation.
    const page3 = await fresh();
    const rest = await app.accept(writeFiles(inbox, 'penyalin lambat', { 'p3.jpg': page3 }));
    expect(rest.status).toBe('accepted');
    expect(rest.movedTo).toBe(path.join(app.config.archiveDir, 'penyalin lambat (2)'));
    expect(
      messageOf('id', rest.item?.flags.find((f) => f.code === 'batch_name_reused') ?? { code: '' }),
    ).toMatch(/sama dengan batch yang diterima .* sebagai item .*lanjutan/);
  });

  it('ten concurrent acceptances of the same pages make one item', async () => {
    const page = await makePage({ columns: [SAMPLE_TEXT.en1], width: 600, height: 700 });
    // The same folder accepted ten times at once (watcher tick, ingest, retries)…
    const same = writeFiles(inbox, 'serentak', { 'p1.jpg': page, 'p2.jpg': await fresh() });
    const a = await Promise.all(Array.from({ length: 10 }, () => app.accept(same)));
    const ids = new Set(a.map((r) => r.item?.id));
    expect(ids.size).toBe(1);
    expect(a.filter((r) => r.status === 'accepted')).toHaveLength(1);
    expect(a.every((r) => r.status === 'accepted' || r.status === 'existing')).toBe(true);
    // …and ten copies of the same pages in ten folders at once (ten uploads of one batch).
    const other = await makePage({ columns: [SAMPLE_TEXT.id2], width: 640, height: 700 });
    const dirs = Array.from({ length: 10 }, (_, i) => writeFiles(inbox, `unggah ${i}`, { 'p1.jpg': other }));
    const b = await Promise.all(dirs.map((d) => app.accept(d)));
    expect(b.filter((r) => r.status === 'accepted')).toHaveLength(1);
    expect(b.filter((r) => r.status === 'duplicate')).toHaveLength(9);
    expect(new Set(b.map((r) => r.item?.id)).size).toBe(1);
    const items = (await app.register.items.list()).filter((i) => i.fingerprint === b[0]?.item?.fingerprint);
    expect(items).toHaveLength(1);
    expect(await app.register.jobs.forItem(items[0]?.id ?? '')).toHaveLength(1);
  });
});
