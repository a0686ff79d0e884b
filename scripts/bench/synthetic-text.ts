/**
 * Indonesian-like synthetic pages for the search bench: a Zipf-distributed vocabulary of real
 * common Indonesian words followed by generated words of Indonesian syllables, so term
 * frequencies look like a real collection (a few words on every page, a long tail of rare ones).
 */

const COMMON = `yang dan di ke dari ini itu dengan untuk pada dalam tidak akan juga oleh sebagai adalah
ada atau karena saat dapat lebih telah sudah bisa harus kami kita mereka para buku perpustakaan
daerah koleksi layanan pemustaka bahan pustaka naskah kertas halaman petugas membaca ruang baca
sekolah masyarakat pemerintah kabupaten kota provinsi tahun hari kerja laporan kegiatan program
pengembangan pengolahan katalog nomor induk sejarah budaya bahasa indonesia jawa sumatra kalimantan
sulawesi surat kabar majalah arsip digital alih media pindai simpan rawat pelestarian peminjaman
pengunjung anggota kartu rak lemari meja kursi gedung lantai desa kecamatan dinas kepala bagian
seksi bidang tugas fungsi rencana anggaran biaya hasil jumlah data informasi sumber rujukan umum
khusus lama baru besar kecil banyak sedikit setiap semua beberapa antara tentang sampai hingga
kemudian lalu namun tetapi sehingga agar supaya jika bila ketika sejak selama melalui terhadap`
  .split(/\s+/)
  .filter(Boolean);

const SYLLABLES = [
  'ka',
  'ra',
  'ma',
  'na',
  'sa',
  'ta',
  'pa',
  'la',
  'ba',
  'da',
  'ga',
  'ja',
  'wa',
  'ya',
  'ha',
  'ki',
  'ri',
  'mi',
  'ni',
  'si',
  'ti',
  'pi',
  'li',
  'bu',
  'du',
  'gu',
  'ju',
  'ku',
  'lu',
  'mu',
  'nu',
  'pu',
  'ru',
  'su',
  'tu',
  'ke',
  'me',
  'ne',
  'se',
  'te',
  'pe',
  'le',
  'be',
  'de',
  'ngan',
  'kan',
  'an',
  'ang',
  'ung',
];

/** Small deterministic PRNG (LCG), so an index built once can be reused across runs. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function makeVocabulary(size: number, seed = 1): string[] {
  const r = rng(seed);
  const words = [...COMMON];
  const seen = new Set(words);
  while (words.length < size) {
    const n = 2 + Math.floor(r() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

/** Samples word ranks with P(rank r) ∝ 1 / (r + 1) (Zipf, s = 1), by inverse CDF on a table. */
export function zipfSampler(size: number, r: () => number): () => number {
  const cdf = new Float64Array(size);
  let acc = 0;
  for (let i = 0; i < size; i++) {
    acc += 1 / (i + 1);
    cdf[i] = acc;
  }
  return () => {
    const x = r() * acc;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function makePageText(vocab: string[], sample: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(vocab[sample()] as string);
  return out.join(' ');
}
