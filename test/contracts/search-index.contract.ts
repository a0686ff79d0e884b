/**
 * Behaviour every SearchIndex adapter must show (see the contract in search/search-index.ts).
 * Call `runSearchIndexContract` from an adapter's spec; `make` must return an empty index.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  emptyFacets,
  type ItemDocument,
  type PageDocument,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
} from '../../search/search-index.ts';

type Fixture = { item: ItemDocument; pages: string[] };

const item = (doc: Omit<ItemDocument, 'publishedAt' | 'pageCount'>, pages: string[]): Fixture => ({
  item: { ...doc, pageCount: pages.length, publishedAt: '2024-05-01T08:00:00.000Z' },
  pages,
});

const pagesOf = (f: Fixture): PageDocument[] =>
  f.pages.map((text, i) => ({ itemId: f.item.itemId, page: i + 1, text }));

/** Old-spelling book (Van Ophuijsen), 1930. */
const SOERABAJA = item(
  {
    itemId: 'itm-soerabaja',
    nomorInduk: 'JTM-1930-0001',
    title: 'Sedjarah Kota Soerabaja',
    creator: 'R. Soedjono',
    publisher: 'Balai Poestaka',
    year: 1930,
    language: ['ind'],
    type: 'buku',
    collection: 'koleksi-lokal',
    rights: 'public-domain',
    subjects: ['Sedjarah', 'Djawa Timoer'],
  },
  [
    'Kata pengantar. Boekoe ketjil ini menoetoerkan riwajat kota Soerabaja dari zaman dahoeloe.',
    'Pelaboehan Tandjoeng Perak mendjadi pintoe gerbang perdagangan antara Djawa dan Djakarta.',
    'Menoeroet tjerita rakjat, nama kota berasal dari ikan soera dan boeaja. Naskah lama menjeboetnja poela.',
  ],
);

/** Modern-spelling guide, 2015. */
const PEDOMAN = item(
  {
    itemId: 'itm-pedoman',
    nomorInduk: 'JTM-2015-0042',
    title: 'Pedoman Layanan Perpustakaan Daerah',
    creator: 'Dinas Perpustakaan Provinsi Jawa Timur',
    year: 2015,
    language: ['ind'],
    type: 'buku',
    collection: 'terbitan-daerah',
    rights: 'cc-by',
    callNumber: '027.4 PED',
  },
  [
    'Perpustakaan daerah melayani pemustaka di Surabaya dan seluruh Jawa Timur setiap hari kerja.',
    'Layanan sirkulasi: pemustaka dapat meminjam paling banyak tiga buku selama dua minggu.',
    'Koleksi naskah kuno disimpan di ruang khusus. Naskah kuno Jawa, naskah kuno Madura dan naskah kuno Melayu dirawat pustakawan; akses naskah kuno hanya untuk peneliti.',
    'Naskah yang masuk dicatat di buku induk, diberi nomor, lalu dipotret. Pustakawan menyusun jadwal rapat bulanan, membeli rak baru dan memperbaiki atap gedung yang bocor sejak musim hujan tahun lalu; ruang baca anak dicat ulang. Bangunan ini dianggap kuno oleh warga.',
    'Kamus lafal: bébék, pérak dan kécap ditulis dengan tanda é untuk bunyi e taling.',
    'Catatan teknis <script>alert("x")</script> tentang situs web & katalog daring perpustakaan.',
  ],
);

/** Map, metadata only (no page text). */
const PETA = item(
  {
    itemId: 'itm-peta',
    nomorInduk: 'JTM-1925-0007',
    title: 'Peta Karesidenan Besoeki, Djawa Timoer',
    creator: 'Topografische Dienst',
    year: 1925,
    language: ['nld', 'ind'],
    type: 'peta',
    collection: 'peta-lama',
    rights: 'public-domain',
  },
  [],
);

/** Magazine with loanwords, 1998. */
const MAJALAH = item(
  {
    itemId: 'itm-majalah',
    nomorInduk: 'JTM-1998-0310',
    title: 'Majalah Kuliner Nusantara',
    creator: 'Redaksi Kuliner',
    year: 1998,
    language: ['ind', 'eng'],
    type: 'majalah',
    collection: 'terbitan-daerah',
    rights: 'in-copyright',
  },
  [
    'Ulasan café di Bandung: kopi tubruk, roti bakar dan pisang goreng.',
    'Cafe baru di Jakarta menyajikan kopi dari dataran tinggi Jawa.',
    'Cerita dari dapur: resep rendang dan sambal goreng ati.',
  ],
);

const ALL = [SOERABAJA, PEDOMAN, PETA, MAJALAH];

const HOSTILE_QUERIES = [
  '"',
  '""',
  '(',
  ')',
  'a AND',
  'AND',
  'OR NOT',
  'NEAR(',
  'NEAR(a b, 2)',
  '*',
  '**pemust*',
  '-x',
  '- -',
  'title:foo',
  '{title}: foo',
  '^naskah',
  "naskah'; DROP TABLE items; --",
  'kota "soerabaja',
  '"kota" "',
  '\u0000\u0001\uE000\uE001',
  '🙂 📚',
  'naskah '.repeat(5000),
  'x'.repeat(100_000),
];

export function runSearchIndexContract(name: string, make: () => Promise<SearchIndex>): void {
  describe(`SearchIndex contract: ${name}`, () => {
    let index: SearchIndex;

    beforeEach(async () => {
      index = await make();
      for (const f of ALL) await index.upsertItem(f.item, pagesOf(f));
    });

    afterEach(async () => {
      await index.close();
    });

    const search = (q: string, rest: Omit<SearchQuery, 'q'> = {}): Promise<SearchResult> =>
      index.search({ q, ...rest });
    const itemIds = (r: SearchResult): string[] => [...new Set(r.hits.map((h) => h.itemId))].sort();
    const pagesIn = (r: SearchResult, itemId: string): Array<number | null> =>
      r.hits.filter((h) => h.itemId === itemId).map((h) => h.page);

    it('finds the right item and page first for a multi-word query', async () => {
      const r = await search('naskah kuno Madura');
      expect(r.hits[0]).toMatchObject({ itemId: PEDOMAN.item.itemId, page: 3 });
      expect(r.total).toBe(1);
      expect(r.items[0]).toMatchObject({ itemId: PEDOMAN.item.itemId, nomorInduk: 'JTM-2015-0042' });
    });

    it('treats quoted text as a phrase (adjacent words, in order)', async () => {
      const phrase = await search('"tiga buku"');
      expect(phrase.hits[0]).toMatchObject({ itemId: PEDOMAN.item.itemId, page: 2 });
      const reversed = await search('"buku tiga"');
      expect(reversed.total).toBe(0);
    });

    it('requires every word', async () => {
      expect((await search('pemustaka rendang')).total).toBe(0);
      expect((await search('kopi Bandung')).hits.map((h) => h.page)).toEqual([1]);
    });

    it('ignores diacritics both ways', async () => {
      const bebek = await search('bebek kecap');
      expect(bebek.hits[0]).toMatchObject({ itemId: PEDOMAN.item.itemId, page: 5 });
      const cafe = await search('cafe ');
      expect(pagesIn(cafe, MAJALAH.item.itemId).sort()).toEqual([1, 2]);
      const cafeAccent = await search('café ');
      expect(pagesIn(cafeAccent, MAJALAH.item.itemId).sort()).toEqual([1, 2]);
    });

    it('is case-insensitive', async () => {
      const upper = await search('NASKAH KUNO MADURA');
      expect(upper.hits[0]).toMatchObject({ itemId: PEDOMAN.item.itemId, page: 3 });
    });

    it('treats the last word as a prefix while it is being typed', async () => {
      const r = await search('pemust');
      expect(pagesIn(r, PEDOMAN.item.itemId).sort()).toEqual([1, 2]);
      expect(r.hits[0]?.snippet).toContain('<mark>pemustaka</mark>');
      // A finished word (trailing space) is matched exactly.
      expect((await search('pemust ')).total).toBe(0);
      // One letter is too short to expand.
      expect((await search('kopi b')).total).toBe(0);
    });

    it('returns page-level hits and lists the pages per item', async () => {
      // Quoted: this form only (other forms of pustaka are on more pages; see word forms below).
      const r = await search('"pemustaka"');
      expect(r.total).toBe(2);
      expect(r.hits.map((h) => h.page).sort()).toEqual([1, 2]);
      expect(r.items).toHaveLength(1);
      expect(r.items[0]?.itemId).toBe(PEDOMAN.item.itemId);
      expect([...(r.items[0]?.pages ?? [])].sort()).toEqual([1, 2]);
      expect(r.items[0]?.pages[0]).toBe(r.hits[0]?.page);
      expect(r.items[0]).toMatchObject({ creator: PEDOMAN.item.creator, year: 2015 });
    });

    it('groups items best first', async () => {
      const r = await search('kopi');
      expect(r.items.map((i) => i.itemId)).toEqual([MAJALAH.item.itemId]);
      const jawa = await search('jawa');
      const scores = jawa.items.map((i) => i.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(jawa.items.length).toBeGreaterThan(1);
    });

    it('marks matches in HTML-safe snippets', async () => {
      const r = await search('Surabaya', { itemId: PEDOMAN.item.itemId });
      expect(r.hits[0]?.snippet).toContain('<mark>Surabaya</mark>');
      const s = (await search('catatan teknis')).hits[0]?.snippet ?? '';
      expect(s).toContain('<mark>Catatan</mark> <mark>teknis</mark>');
      expect(s).toContain('&lt;script&gt;');
      expect(s).not.toContain('<script');
      expect(s).toContain('&amp;');
      expect(s).not.toMatch(/[\uE000-\uF8FF]/);
    });

    it('escapes page text that looks like markup even when it matches', async () => {
      const s = (await search('alert')).hits[0]?.snippet ?? '';
      expect(s).toContain('<mark>alert</mark>');
      expect(s.replace(/<\/?mark>/g, '')).not.toMatch(/[<>"]/);
    });

    it('finds an item by its title alone with a metadata hit (page null)', async () => {
      const r = await search('karesidenan');
      expect(r.total).toBe(1);
      expect(r.hits[0]).toMatchObject({ itemId: PETA.item.itemId, page: null });
      expect(r.hits[0]?.snippet).toContain('<mark>Karesidenan</mark>');
      expect(r.items[0]?.pages).toEqual([]);
    });

    it('finds an item by creator, subject and call number', async () => {
      expect(itemIds(await search('Topografische'))).toEqual([PETA.item.itemId]);
      expect(itemIds(await search('"027.4 PED"'))).toEqual([PEDOMAN.item.itemId]);
      expect(itemIds(await search('Sedjarah'))).toEqual([SOERABAJA.item.itemId]);
    });

    it('filters by type', async () => {
      expect(itemIds(await search('jawa', { filters: { type: ['peta'] } }))).toEqual([PETA.item.itemId]);
      expect(itemIds(await search('jawa', { filters: { type: ['buku', 'majalah'] } }))).toEqual(
        [MAJALAH.item.itemId, PEDOMAN.item.itemId, SOERABAJA.item.itemId].sort(),
      );
    });

    it('filters by year range, bounds inclusive', async () => {
      expect(itemIds(await search('jawa', { filters: { yearFrom: 1990 } }))).toEqual(
        [MAJALAH.item.itemId, PEDOMAN.item.itemId].sort(),
      );
      expect(itemIds(await search('jawa', { filters: { yearFrom: 1925, yearTo: 1930 } }))).toEqual(
        [PETA.item.itemId, SOERABAJA.item.itemId].sort(),
      );
      expect((await search('jawa', { filters: { yearFrom: 1931, yearTo: 1997 } })).total).toBe(0);
    });

    it('filters by language, collection and rights', async () => {
      expect(itemIds(await search('jawa', { filters: { language: ['eng'] } }))).toEqual([
        MAJALAH.item.itemId,
      ]);
      expect(itemIds(await search('jawa', { filters: { language: ['nld', 'eng'] } }))).toEqual(
        [MAJALAH.item.itemId, PETA.item.itemId].sort(),
      );
      expect(itemIds(await search('jawa', { filters: { collection: ['terbitan-daerah'] } }))).toEqual(
        [MAJALAH.item.itemId, PEDOMAN.item.itemId].sort(),
      );
      expect(
        itemIds(await search('jawa', { filters: { rights: ['public-domain'], type: ['buku'] } })),
      ).toEqual([SOERABAJA.item.itemId]);
      // An empty list restricts nothing.
      expect(itemIds(await search('jawa', { filters: { type: [] } }))).toHaveLength(4);
    });

    it('searches inside one item', async () => {
      const all = await search('naskah');
      expect(itemIds(all)).toEqual([PEDOMAN.item.itemId, SOERABAJA.item.itemId].sort());
      const inside = await search('naskah', { itemId: SOERABAJA.item.itemId });
      expect(itemIds(inside)).toEqual([SOERABAJA.item.itemId]);
      expect(inside.hits.map((h) => h.page)).toEqual([3]);
      expect(inside.total).toBe(1);
    });

    it('pages through hits with limit and offset', async () => {
      const all = await search('jawa', { limit: 100 });
      expect(all.total).toBeGreaterThan(3);
      const first = await search('jawa', { limit: 2 });
      const second = await search('jawa', { limit: 2, offset: 2 });
      expect(first.hits).toHaveLength(2);
      expect(first.total).toBe(all.total);
      const key = (h: { itemId: string; page: number | null }) => `${h.itemId}#${h.page}`;
      expect([...first.hits, ...second.hits].map(key)).toEqual(all.hits.slice(0, 4).map(key));
    });

    it('replaces an item on a second upsert', async () => {
      const before = await index.countDocuments();
      expect(before).toEqual({ items: 4, pages: 12 });
      await index.upsertItem(PEDOMAN.item, pagesOf(PEDOMAN));
      expect(await index.countDocuments()).toEqual(before);
      const again = await search('"pemustaka"');
      expect(again.total).toBe(2);
      expect(again.hits.map((h) => h.page).sort()).toEqual([1, 2]);

      const changed = pagesOf(PEDOMAN).map((p) =>
        p.page === 2 ? { ...p, text: 'Layanan peminjaman: paling banyak tiga buku.' } : p,
      );
      await index.upsertItem({ ...PEDOMAN.item, title: 'Pedoman Layanan Perpustakaan Kabupaten' }, changed);
      expect(await index.countDocuments()).toEqual(before);
      expect((await search('sirkulasi')).total).toBe(0);
      expect((await search('peminjaman')).hits[0]).toMatchObject({ itemId: PEDOMAN.item.itemId, page: 2 });
      expect((await search('kabupaten')).hits[0]).toMatchObject({ itemId: PEDOMAN.item.itemId, page: null });
      expect(
        (await search('daerah', { filters: { type: ['buku'] } })).hits.some((h) => h.page === null),
      ).toBe(false);
    });

    it('removes an item', async () => {
      await index.removeItem(MAJALAH.item.itemId);
      expect(await index.countDocuments()).toEqual({ items: 3, pages: 9 });
      expect((await search('kopi')).total).toBe(0);
      expect((await search('kuliner')).total).toBe(0);
      await index.removeItem('no-such-item');
      expect(await index.countDocuments()).toEqual({ items: 3, pages: 9 });
    });

    it('clears everything', async () => {
      await index.clear();
      expect(await index.countDocuments()).toEqual({ items: 0, pages: 0 });
      expect((await search('jawa')).total).toBe(0);
    });

    it('returns an empty result for queries without words', async () => {
      for (const q of ['', '   ', '!!!', '"', '-', '*']) {
        const r = await search(q);
        expect(r).toMatchObject({ total: 0, hits: [], items: [] });
      }
    });

    it('never throws on hostile queries', async () => {
      for (const q of HOSTILE_QUERIES) {
        const r = await search(q);
        expect(r.hits.length).toBeLessThanOrEqual(20);
        expect(r.total).toBeGreaterThanOrEqual(r.hits.length);
      }
      // Operators are plain words: "a AND" needs both words "a" and "and".
      expect((await search('naskah AND')).total).toBe(0);
      expect((await search('title:Karesidenan')).total).toBe(0);
      expect((await search('-kopi')).hits[0]?.itemId).toBe(MAJALAH.item.itemId);
      expect(await index.countDocuments()).toEqual({ items: 4, pages: 12 });
    });

    it('bridges old spelling: Soerabaja ↔ Surabaya', async () => {
      const modern = await search('Surabaya');
      expect(itemIds(modern)).toEqual([PEDOMAN.item.itemId, SOERABAJA.item.itemId].sort());
      const oldHit = modern.hits.find((h) => h.itemId === SOERABAJA.item.itemId && h.page === 1);
      expect(oldHit?.snippet).toContain('<mark>Soerabaja</mark>');
      const old = await search('Soerabaja');
      expect(itemIds(old)).toEqual([PEDOMAN.item.itemId, SOERABAJA.item.itemId].sort());
      expect(pagesIn(old, PEDOMAN.item.itemId)).toEqual([1]);
    });

    it('bridges old spelling: Djakarta ↔ Jakarta, tjerita ↔ cerita', async () => {
      expect(pagesIn(await search('Jakarta'), SOERABAJA.item.itemId)).toEqual([2]);
      expect(pagesIn(await search('Djakarta'), MAJALAH.item.itemId)).toEqual([2]);
      expect(pagesIn(await search('cerita'), SOERABAJA.item.itemId)).toEqual([3]);
      expect(pagesIn(await search('tjerita'), MAJALAH.item.itemId)).toEqual([3]);
      expect(itemIds(await search('Besuki'))).toEqual([PETA.item.itemId]);
    });

    it('tolerates spelling mistakes in words that match nothing, marking the found words', async () => {
      // One edit for 5–8 letters, two from 9 on; the last word may still be a prefix.
      const missing = await search('perpustakan daerah');
      expect(missing.hits[0]?.itemId).toBe(PEDOMAN.item.itemId);
      expect(missing.hits.some((h) => h.snippet.includes('<mark>Perpustakaan</mark>'))).toBe(true);
      // The corrected word's other forms count too (Balai Poestaka), ranked after it.
      expect((await search('perpustkaan')).items[0]?.itemId).toBe(PEDOMAN.item.itemId);
      expect((await search('prepustakaan ')).items[0]?.itemId).toBe(PEDOMAN.item.itemId);
      expect(itemIds(await search('pelaboehn'))).toEqual([SOERABAJA.item.itemId]);
      expect(pagesIn(await search('sirkulsai '), PEDOMAN.item.itemId)).toEqual([2]);
      // Two edits on a 9+ letter word; old spellings still fold.
      expect((await search('perpustkaam ')).items[0]?.itemId).toBe(PEDOMAN.item.itemId);
      expect(itemIds(await search('Surabaja'))).toEqual([PEDOMAN.item.itemId, SOERABAJA.item.itemId].sort());
    });

    it('keeps correct and short words exact (no neighbours pulled in)', async () => {
      // "naskah" is indexed: its one-edit neighbours are not added.
      expect((await search('naskah ')).hits.every((h) => /<mark>naskah<\/mark>/i.test(h.snippet))).toBe(true);
      // Under five letters no correction: "kopu" is not "kopi".
      expect((await search('kopu ')).total).toBe(0);
      // Too far: three edits on a long word.
      expect((await search('pertusdakaam ')).total).toBe(0);
      // A misspelt word still has to be there together with the others.
      expect((await search('perpustakan rendang')).total).toBe(0);
    });

    describe('Indonesian word forms', () => {
      const FORMS = item(
        {
          itemId: 'itm-bentuk',
          nomorInduk: 'JTM-2021-0500',
          title: 'Kumpulan Kisah Anak',
          year: 2021,
          type: 'buku',
          language: ['ind'],
        },
        [
          'Nenek bercerita tentang pengelolaan sawah di desa.',
          'Anak-anak meminjam buku di taman baca.',
          'Riwajat pertjetakan pertama di kota ini.',
          'Buku harian yang ditulis tangan oleh seorang guru.',
        ],
      );
      beforeEach(async () => {
        await index.upsertItem(FORMS.item, pagesOf(FORMS));
      });
      const pagesOfForms = async (q: string) => pagesIn(await search(q), FORMS.item.itemId);

      it('finds prefixed, suffixed and confixed forms of a root, marking the form on the page', async () => {
        expect(await pagesOfForms('cerita')).toEqual([1]);
        expect(await pagesOfForms('kelola')).toEqual([1]);
        expect(await pagesOfForms('pinjam ')).toEqual([2]);
        expect(await pagesOfForms('tulis')).toEqual([4]);
        const r = await search('cerita', { itemId: FORMS.item.itemId });
        expect(r.hits[0]?.snippet).toContain('<mark>bercerita</mark>');
      });

      it('finds a root and its other forms from a derived word', async () => {
        expect(await pagesOfForms('menceritakan')).toEqual([1]);
        expect(await pagesOfForms('peminjaman')).toEqual([2]);
        expect(await pagesOfForms('penulis')).toEqual([4]);
      });

      it('composes with old spellings and spelling mistakes', async () => {
        // Old spelling on the page, modern root in the query; and the other way round.
        expect(await pagesOfForms('cetak')).toEqual([3]);
        expect(await pagesOfForms('pertjetakan')).toEqual([3]);
        // A typo in a form: corrected to an indexed word, then its root.
        expect(await pagesOfForms('bercerta ')).toEqual([1]);
      });

      it('ranks the form typed above other forms, and quotes ask for the form alone', async () => {
        const r = await search('cerita ');
        const exactFirst = r.hits.findIndex((h) => h.itemId === MAJALAH.item.itemId && h.page === 3);
        const form = r.hits.findIndex((h) => h.itemId === FORMS.item.itemId && h.page === 1);
        expect(exactFirst).toBeGreaterThanOrEqual(0);
        expect(form).toBeGreaterThan(exactFirst);
        expect(await pagesOfForms('"cerita"')).toEqual([]);
      });

      it('keeps look-alike words of other roots apart', async () => {
        // cerai (divorce) is not cerita; a librarian (pustakawan) is not the library's books.
        expect(await pagesOfForms('cerai')).toEqual([]);
        expect(pagesIn(await search('pustakawan '), SOERABAJA.item.itemId)).toEqual([]);
      });
    });

    it('ranks exact spelling above old-spelling matches', async () => {
      const r = await search('Surabaya');
      expect(r.hits[0]).toMatchObject({ itemId: PEDOMAN.item.itemId, page: 1 });
      const old = await search('Soerabaja');
      expect(old.hits[0]?.itemId).toBe(SOERABAJA.item.itemId);
    });

    it('ranks a title match above a short page repeating the word', async () => {
      const report = item(
        {
          itemId: 'itm-laporan',
          nomorInduk: 'JTM-2020-0100',
          title:
            'Laporan Tahunan Dinas Perpustakaan dan Kearsipan Kabupaten Banyuwangi tentang Pengelolaan Arsip Daerah',
          year: 2020,
          type: 'buku',
        },
        ['Ringkasan kegiatan dinas selama satu tahun anggaran.'],
      );
      const notes = item(
        {
          itemId: 'itm-catatan',
          nomorInduk: 'JTM-2021-0200',
          title: 'Catatan Rapat',
          year: 2021,
          type: 'buku',
        },
        ['Arsip, arsip dan arsip lagi.'],
      );
      for (const f of [report, notes]) await index.upsertItem(f.item, pagesOf(f));
      const r = await search('arsip ');
      expect(r.hits.slice(0, 2).map((h) => [h.itemId, h.page])).toEqual([
        ['itm-laporan', null],
        ['itm-catatan', 1],
      ]);
    });

    it('ranks a title match above a creator match', async () => {
      // Same lengths, and the id order would put the creator match first on a tie.
      const byCreator = item(
        {
          itemId: 'itm-a-rapat',
          nomorInduk: 'JTM-2019-0001',
          title: 'Pedoman Rapat',
          creator: 'Badan Kearsipan',
        },
        [],
      );
      const byTitle = item(
        {
          itemId: 'itm-b-kearsipan',
          nomorInduk: 'JTM-2019-0002',
          title: 'Kearsipan Daerah',
          creator: 'Budi Santoso',
        },
        [],
      );
      for (const f of [byCreator, byTitle]) await index.upsertItem(f.item, pagesOf(f));
      const r = await search('kearsipan ');
      expect(r.hits.map((h) => h.itemId)).toEqual(['itm-b-kearsipan', 'itm-a-rapat']);
    });

    it('ranks a page with the words often and close together above one with them once', async () => {
      const r = await search('naskah kuno', { itemId: PEDOMAN.item.itemId });
      const pages = r.hits.map((h) => h.page);
      expect(pages).toContain(3);
      expect(pages).toContain(4);
      expect(pages.indexOf(3)).toBeLessThan(pages.indexOf(4));
      expect(r.hits[0]?.score).toBeGreaterThan(r.hits[1]?.score ?? Number.POSITIVE_INFINITY);
    });
    it('counts facets over matching items, not pages, over the whole result', async () => {
      const r = await search('jawa', { limit: 1 });
      expect(r.totalItems).toBe(4);
      expect(r.facets).toEqual({
        type: { buku: 2, peta: 1, majalah: 1 },
        year: { '1925': 1, '1930': 1, '1998': 1, '2015': 1 },
        language: { ind: 4, nld: 1, eng: 1 },
        collection: { 'koleksi-lokal': 1, 'terbitan-daerah': 2, 'peta-lama': 1 },
        rights: { 'public-domain': 2, 'cc-by': 1, 'in-copyright': 1 },
      });
      // Far below MIN_ESTIMATED_ROWS: exact, and not marked as an estimate.
      expect(r.estimated ?? false).toBe(false);
      const pemustaka = await search('"pemustaka"');
      expect(pemustaka).toMatchObject({ total: 2, totalItems: 1 });
      expect(pemustaka.facets.type).toEqual({ buku: 1 });
      expect(pemustaka.facets.year).toEqual({ '2015': 1 });
    });

    it('counts facets after filters and inside one item', async () => {
      const buku = await search('jawa', { filters: { type: ['buku'] } });
      expect(buku.totalItems).toBe(2);
      expect(buku.facets.type).toEqual({ buku: 2 });
      expect(buku.facets.year).toEqual({ '1930': 1, '2015': 1 });
      expect(buku.facets.language).toEqual({ ind: 2 });
      const inside = await search('naskah', { itemId: SOERABAJA.item.itemId });
      expect(inside.totalItems).toBe(1);
      expect(inside.facets.collection).toEqual({ 'koleksi-lokal': 1 });
      const oldSpelling = await search('Surabaya');
      expect(oldSpelling.facets.year).toEqual({ '1930': 1, '2015': 1 });
    });

    it('returns every facet empty when nothing matches', async () => {
      for (const q of ['zzqqxx', '', '!!!']) {
        const r = await search(q);
        expect(r.totalItems).toBe(0);
        expect(r.facets).toEqual(emptyFacets());
      }
    });

    it('leaves excluded rights out of hits, totals and facets', async () => {
      const r = await search('jawa', { filters: { excludeRights: ['in-copyright', 'cc-by'] } });
      expect(itemIds(r)).toEqual([PETA.item.itemId, SOERABAJA.item.itemId].sort());
      expect(r.totalItems).toBe(2);
      expect(r.facets.rights).toEqual({ 'public-domain': 2 });
      expect((await search('kopi', { filters: { excludeRights: ['in-copyright'] } })).total).toBe(0);
    });

    it('pages over items with groupBy item, each with its pages best first', async () => {
      const all = await search('jawa', { groupBy: 'item', limit: 100 });
      expect(all.totalItems).toBe(4);
      expect(all.total).toBe((await search('jawa', { limit: 100 })).total);
      expect(all.items).toHaveLength(4);
      const first = await search('jawa', { groupBy: 'item', limit: 2 });
      const second = await search('jawa', { groupBy: 'item', limit: 2, offset: 2 });
      expect(first.items).toHaveLength(2);
      expect(first.totalItems).toBe(4);
      expect([...first.items, ...second.items].map((i) => i.itemId)).toEqual(all.items.map((i) => i.itemId));
      // hits hold each returned item's hits, items in the same order, nothing else.
      const order: string[] = [];
      for (const h of first.hits) if (order.at(-1) !== h.itemId) order.push(h.itemId);
      expect(order).toEqual(first.items.map((i) => i.itemId));
      const pedoman = all.items.find((i) => i.itemId === PEDOMAN.item.itemId);
      expect([...(pedoman?.pages ?? [])].sort()).toEqual([1, 3]);
      expect(pedoman).toMatchObject({ type: 'buku', rights: 'cc-by', year: 2015 });
    });

    it('lists at most 10 pages per item in groupBy item, counting all of them', async () => {
      const long = item(
        { itemId: 'itm-lontar', nomorInduk: 'JTM-1900-0001', title: 'Kumpulan Naskah', type: 'naskah' },
        Array.from({ length: 12 }, (_, i) => `Lembar ${i + 1}: daun lontar bertulis aksara Bali.`),
      );
      await index.upsertItem(long.item, pagesOf(long));
      const r = await search('lontar', { groupBy: 'item' });
      expect(r).toMatchObject({ total: 12, totalItems: 1 });
      expect(r.items[0]?.pages).toHaveLength(10);
      expect(new Set(r.items[0]?.pages).size).toBe(10);
      expect(r.hits.length).toBeLessThanOrEqual(11);
    });

    it('sorts by year both ways, items without a year last', async () => {
      const undated = item(
        { itemId: 'itm-babad', nomorInduk: 'JTM-0000-0001', title: 'babad tanah Jawa' },
        [],
      );
      await index.upsertItem(undated.item, pagesOf(undated));
      const ids = async (sort: SearchQuery['sort']) =>
        (await search('jawa', { groupBy: 'item', sort })).items.map((i) => i.itemId);
      const desc = [PEDOMAN, MAJALAH, SOERABAJA, PETA].map((f) => f.item.itemId);
      expect(await ids('year-desc')).toEqual([...desc, 'itm-babad']);
      expect(await ids('year-asc')).toEqual([...desc.reverse(), 'itm-babad']);
    });

    it('sorts by title ignoring case and diacritics', async () => {
      const lower = item({ itemId: 'itm-babad', nomorInduk: 'JTM-0000-0001', title: 'babad tanah Jawa' }, []);
      const accent = item(
        { itemId: 'itm-etude', nomorInduk: 'JTM-0000-0002', title: 'Étude sur Java et Jawa' },
        [],
      );
      for (const f of [lower, accent]) await index.upsertItem(f.item, pagesOf(f));
      const r = await search('jawa', { groupBy: 'item', sort: 'title' });
      expect(r.items.map((i) => i.title)).toEqual([
        'babad tanah Jawa',
        'Étude sur Java et Jawa',
        'Majalah Kuliner Nusantara',
        'Pedoman Layanan Perpustakaan Daerah',
        'Peta Karesidenan Besoeki, Djawa Timoer',
        'Sedjarah Kota Soerabaja',
      ]);
    });

    it('sorts by newest added', async () => {
      await index.upsertItem({ ...PETA.item, publishedAt: '2025-03-01T00:00:00.000Z' }, pagesOf(PETA));
      await index.upsertItem(
        { ...SOERABAJA.item, publishedAt: '2025-02-01T00:00:00.000Z' },
        pagesOf(SOERABAJA),
      );
      const r = await search('jawa', { groupBy: 'item', sort: 'newest' });
      expect(r.items.slice(0, 2).map((i) => i.itemId)).toEqual([PETA.item.itemId, SOERABAJA.item.itemId]);
      expect(r.items).toHaveLength(4);
    });

    it('keeps page hits grouped in sort order and best first within an item', async () => {
      const yearOf = new Map(ALL.map((f) => [f.item.itemId, f.item.year ?? 0]));
      const r = await search('jawa', { sort: 'year-asc', limit: 100 });
      const years = r.hits.map((h) => yearOf.get(h.itemId) ?? 0);
      expect(years).toEqual([...years].sort((a, b) => a - b));
      const relevance = await search('naskah kuno', { itemId: PEDOMAN.item.itemId });
      const titled = await search('naskah kuno', { itemId: PEDOMAN.item.itemId, sort: 'title' });
      expect(titled.hits.map((h) => h.page)).toEqual(relevance.hits.map((h) => h.page));
    });

    it('browses the whole collection when asked, with filters, facets and sort', async () => {
      const all = await search('', { browse: true, groupBy: 'item', limit: 100 });
      expect(all.totalItems).toBe(4);
      expect(all.items).toHaveLength(4);
      expect(all.hits.every((h) => h.page === null && !h.snippet.includes('<mark>'))).toBe(true);
      expect(all.facets.type).toEqual({ buku: 2, peta: 1, majalah: 1 });
      const maps = await search('!!!', { browse: true, filters: { type: ['peta'] } });
      expect(itemIds(maps)).toEqual([PETA.item.itemId]);
      await index.upsertItem({ ...MAJALAH.item, publishedAt: '2025-06-01T00:00:00.000Z' }, pagesOf(MAJALAH));
      const recent = await search('', { browse: true, groupBy: 'item', limit: 1 });
      expect(recent.items.map((i) => i.itemId)).toEqual([MAJALAH.item.itemId]);
      expect(recent.totalItems).toBe(4);
      const byYear = await search('', { browse: true, groupBy: 'item', sort: 'year-asc' });
      expect(byYear.items[0]?.itemId).toBe(PETA.item.itemId);
      const open = await search('', { browse: true, filters: { excludeRights: ['in-copyright'] } });
      expect(open.totalItems).toBe(3);
    });
  });
}
