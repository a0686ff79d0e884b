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
} as const;
