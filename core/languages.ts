/**
 * Languages the metadata form offers, as ISO 639-2/3 codes (what metadata.json holds) with their
 * names in Indonesian and English: the national and regional languages a library's books are
 * written in, first, then the foreign ones common in older collections.
 */
import type { Lang } from './messages.ts';

export const LANGUAGES: readonly { code: string; id: string; en: string }[] = [
  { code: 'ind', id: 'Bahasa Indonesia', en: 'Indonesian' },
  { code: 'msa', id: 'Bahasa Melayu', en: 'Malay' },
  { code: 'jav', id: 'Bahasa Jawa', en: 'Javanese' },
  { code: 'sun', id: 'Bahasa Sunda', en: 'Sundanese' },
  { code: 'mad', id: 'Bahasa Madura', en: 'Madurese' },
  { code: 'ban', id: 'Bahasa Bali', en: 'Balinese' },
  { code: 'min', id: 'Bahasa Minangkabau', en: 'Minangkabau' },
  { code: 'bug', id: 'Bahasa Bugis', en: 'Buginese' },
  { code: 'ace', id: 'Bahasa Aceh', en: 'Acehnese' },
  { code: 'bjn', id: 'Bahasa Banjar', en: 'Banjar' },
  { code: 'kaw', id: 'Bahasa Kawi (Jawa Kuno)', en: 'Kawi (Old Javanese)' },
  { code: 'eng', id: 'Bahasa Inggris', en: 'English' },
  { code: 'nld', id: 'Bahasa Belanda', en: 'Dutch' },
  { code: 'ara', id: 'Bahasa Arab', en: 'Arabic' },
  { code: 'zho', id: 'Bahasa Tionghoa', en: 'Chinese' },
  { code: 'jpn', id: 'Bahasa Jepang', en: 'Japanese' },
  { code: 'deu', id: 'Bahasa Jerman', en: 'German' },
  { code: 'fra', id: 'Bahasa Prancis', en: 'French' },
  { code: 'por', id: 'Bahasa Portugis', en: 'Portuguese' },
  { code: 'san', id: 'Bahasa Sanskerta', en: 'Sanskrit' },
];

/** "Bahasa Jawa (jav)"; a code not in the list as it is. */
export function languageLabel(lang: Lang, code: string): string {
  const l = LANGUAGES.find((x) => x.code === code);
  return l ? `${l[lang]} (${code})` : code;
}
