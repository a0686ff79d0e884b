/**
 * Words shared by every web page (layout, navigation, errors). Each area keeps its own catalogue
 * beside this one (collection.messages.ts, staff.messages.ts); `t()` in core/messages.ts reads them all.
 * Bahasa Indonesia first (the default), English second. Params are written {name}.
 */
export const webMessages = {
  site_name: { id: 'Koleksi Digital', en: 'Digital Collection' },
  skip_to_content: { id: 'Langsung ke isi', en: 'Skip to content' },
  lang_switch_label: { id: 'Bahasa', en: 'Language' },
  lang_switch_to: { id: 'English', en: 'Bahasa Indonesia' },
  not_found_title: { id: 'Halaman tidak ditemukan', en: 'Page not found' },
  not_found_body: {
    id: 'Halaman yang Anda cari tidak ada atau tidak tersedia untuk umum.',
    en: 'The page you are looking for does not exist or is not publicly available.',
  },
  error_title: { id: 'Terjadi kesalahan', en: 'Something went wrong' },
  error_body: {
    id: 'Maaf, terjadi kesalahan di server. Silakan coba lagi sebentar lagi.',
    en: 'Sorry, the server ran into a problem. Please try again shortly.',
  },
  site_footer_label: { id: 'Tentang perpustakaan', en: 'About the library' },
  site_contact: { id: 'Kontak', en: 'Contact' },
  about_link: { id: 'Tentang', en: 'About' },
  about_title: { id: 'Tentang {name}', en: 'About {name}' },
  about_default: {
    id: [
      'Koleksi digital ini berisi buku, majalah, surat kabar dan arsip perpustakaan yang telah dipindai (dialihmediakan) agar dapat dicari dan dibaca oleh siapa saja.',
      'Setiap halaman dipindai lalu dibaca mesin (OCR), sehingga Anda dapat mencari kata di seluruh isi halaman, bukan hanya di judul. Ejaan lama ikut ditemukan: “Surabaya” juga menemukan “Soerabaja”. Pembacaan mesin pada cetakan lama tidak selalu sempurna; gambar halaman tetap menjadi sumber yang sah.',
      'Sebagian bahan dapat diunduh sebagai PDF; sebagian lain hanya dapat dibaca daring karena hak ciptanya. Untuk pertanyaan, koreksi atau permintaan salinan, hubungi perpustakaan melalui kontak di bagian bawah halaman.',
    ].join('\n\n'),
    en: [
      'This digital collection holds the library’s books, magazines, newspapers and archives, scanned so that anyone can search and read them.',
      'Every page was scanned and read by machine (OCR), so you can search for words in the full text of every page, not only in titles. Old Indonesian spellings are found too: “Surabaya” also finds “Soerabaja”. Machine reading of old print is not always perfect; the page image remains the authoritative source.',
      'Some materials can be downloaded as PDF; others can only be read online because of copyright. For questions, corrections or copies, contact the library through the details at the bottom of the page.',
    ].join('\n\n'),
  },
} as const;
