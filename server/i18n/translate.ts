import type { Lang } from '../../core/messages.ts';
import { collectionMessages } from './collection.messages.ts';
import { staffMessages } from './staff.messages.ts';
import { webMessages } from './web.messages.ts';

export type { Lang };

type Entry = { readonly id: string; readonly en: string };

/** Every web catalogue; an area adds its own object here. Keys must be unique across them. */
const catalogues = [webMessages, collectionMessages, staffMessages] as const;

type Keys<T> = T extends readonly (infer C)[] ? (C extends Record<string, Entry> ? keyof C : never) : never;
export type WebMessageKey = Keys<typeof catalogues>;

const all: Record<string, Entry> = Object.assign({}, ...catalogues);

/** Translate a key into `lang`, filling `{name}` params. Unknown params stay visible as `{name}`. */
export function t(lang: Lang, key: WebMessageKey, params: Record<string, string | number> = {}): string {
  const entry = all[key];
  if (!entry) return key;
  return entry[lang].replace(/\{(\w+)\}/g, (m, name: string) =>
    params[name] === undefined ? m : String(params[name]),
  );
}

/** A translator bound to one request's language, for views. */
export type Translator = (key: WebMessageKey, params?: Record<string, string | number>) => string;
export const translator =
  (lang: Lang): Translator =>
  (key, params) =>
    t(lang, key, params);
