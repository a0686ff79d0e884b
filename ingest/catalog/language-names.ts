/**
 * Language names catalogues write (SLiMS' language list: "Indonesia", "English"; INLISLite's
 * BAHASA column; report labels) as the ISO 639-2 codes Pindai stores. Keys are lower case, letters
 * only.
 */
const LANGUAGES: Record<string, string> = {
  indonesia: 'ind',
  bahasaindonesia: 'ind',
  indonesian: 'ind',
  id: 'ind',
  english: 'eng',
  inggris: 'eng',
  bahasainggris: 'eng',
  en: 'eng',
  jawa: 'jav',
  javanese: 'jav',
  sunda: 'sun',
  sundanese: 'sun',
  melayu: 'may',
  malay: 'may',
  arab: 'ara',
  arabic: 'ara',
  belanda: 'dut',
  dutch: 'dut',
  bali: 'ban',
  balinese: 'ban',
  madura: 'mad',
  bugis: 'bug',
  minangkabau: 'min',
};

const key = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/** The ISO 639-2 code of a language name or three-letter code; null when it is neither. */
export function languageCodeOf(v: string): string | null {
  const k = key(v);
  if (/^[a-z]{3}$/.test(k)) return k;
  return LANGUAGES[k] ?? null;
}

/** SLiMS' language list names (install/senayan.sql: "Indonesia", "English") and the usual Indonesian names. */
const NAMES: Record<string, string> = {
  ind: 'Indonesia',
  eng: 'English',
  jav: 'Jawa',
  sun: 'Sunda',
  may: 'Melayu',
  msa: 'Melayu',
  ara: 'Arab',
  dut: 'Belanda',
  nld: 'Belanda',
  ban: 'Bali',
  mad: 'Madura',
  bug: 'Bugis',
  min: 'Minangkabau',
};

/** The name a catalogue's language list uses for an ISO 639 code (the code itself when unknown). */
export const languageNameOf = (code: string): string => NAMES[code] ?? code;
