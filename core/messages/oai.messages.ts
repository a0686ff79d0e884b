/**
 * Words Pindai writes into harvested metadata (OAI-PMH, server/oai/): rights statements and
 * extents that catalogues such as Indonesia OneSearch show their readers. Bahasa Indonesia first,
 * English second. Params are written {name}.
 */
export const oaiMessages = {
  oai_rights_open: {
    id: 'Akses terbuka: dapat dibaca dan diunduh di koleksi digital. Status hak cipta belum dievaluasi.',
    en: 'Open access: may be read and downloaded in the digital collection. Copyright status not evaluated.',
  },
  oai_rights_read_online: {
    id: 'Hanya dapat dibaca daring di koleksi digital; tidak dapat diunduh. Status hak cipta belum dievaluasi.',
    en: 'May be read online in the digital collection only; no download. Copyright status not evaluated.',
  },
  oai_access_open: { id: 'Akses terbuka.', en: 'Open access.' },
  oai_access_read_online: {
    id: 'Hanya baca daring; unduhan tidak tersedia.',
    en: 'Read online only; no download.',
  },
  oai_extent: { id: '1 sumber daring ({pages} halaman)', en: '1 online resource ({pages} pages)' },
  oai_set_collection: { id: 'Koleksi', en: 'Collections' },
  oai_set_type: { id: 'Jenis bahan', en: 'Types of material' },
  oai_link_text: { id: 'Baca di koleksi digital', en: 'Read in the digital collection' },
  oai_digital_copy: { id: 'Salinan digital dapat dibaca di {url}', en: 'Digital copy readable at {url}' },
} as const;
