/**
 * How items and pages become Meilisearch documents, and hits become port results. One document
 * per page (Meilisearch ignores words past 65,535 positions in one attribute, so a book in one
 * field would lose text without an error) plus one metadata document per item; every document
 * carries the item's facet and sort fields so filters, facets and sort work on pages alike.
 *
 * Searchable text comes twice: `t*` as written and `f*` as spelling keys (ejaan.ts), one key per
 * word, joined by spaces. Meilisearch synonyms map whole words, which cannot express digraph
 * rules (oe→u, dj→j, tj→c, nj→ny, sj→sy, ch→kh) for an open vocabulary of old spellings; the
 * key fields apply the same folding as the embedded index to every word, both ways.
 *
 * Word forms: `roots` lists the root keys of the document's words (indonesian-stem.ts), as a
 * filterable attribute. A word has several candidate roots and Meilisearch's query has no OR,
 * so a query word's roots are matched with `roots IN [...]`, the same "any root in common" test
 * the embedded index's stem column makes.
 */

import { cleanText, displayText, metadataText } from './documents.ts';
import { spellingKey, wordRunRegExp } from './ejaan.ts';
import { stemText } from './indonesian-stem.ts';
import { metaDocId, pageDocId, toMeiliKey } from './meili-ids.ts';
import type { RichHit } from './result-shape.ts';
import { type ItemDocument, type PageDocument, titleSortKey } from './search-index.ts';
import { buildSnippet } from './snippet.ts';

export interface MeiliDoc {
  id: string;
  itemKey: string;
  itemId: string;
  kind: 'item' | 'page';
  page?: number;
  /** Random per upsert: documents of an older revision are deleted after the new ones land. */
  rev: string;
  nomorInduk: string;
  title: string;
  creator?: string;
  year?: number;
  type?: string;
  collection?: string;
  rights?: string;
  language?: string[];
  /** ms since epoch, for sort */
  publishedAt: number;
  titleSort: string;
  tTitle?: string;
  tMeta?: string;
  tBody?: string;
  fTitle?: string;
  fMeta?: string;
  fBody?: string;
  /** Distinct root keys of the document's words (filterable). */
  roots?: string[];
}

export const EXACT_FIELDS = ['tTitle', 'tMeta', 'tBody'] as const;
export const FOLDED_FIELDS = ['fTitle', 'fMeta', 'fBody'] as const;
export const TEXT_FIELDS = [...EXACT_FIELDS, ...FOLDED_FIELDS];

/** Spelling keys of every word, space-joined: the i-th key belongs to the i-th word of `text`. */
export function foldWords(text: string): string {
  return (text.match(wordRunRegExp()) ?? []).map(spellingKey).join(' ');
}

function rootsOf(text: string): string[] {
  const roots = stemText(text, { others: false });
  return roots === '' ? [] : roots.split(' ');
}

export function toMeiliDocs(item: ItemDocument, pages: PageDocument[], rev: string): MeiliDoc[] {
  const itemKey = toMeiliKey(item.itemId);
  const shared = {
    itemKey,
    itemId: item.itemId,
    rev,
    nomorInduk: item.nomorInduk,
    title: item.title,
    ...(item.creator !== undefined && { creator: item.creator }),
    ...(item.year !== undefined && { year: item.year }),
    ...(item.type !== undefined && { type: item.type }),
    ...(item.collection !== undefined && { collection: item.collection }),
    ...(item.rights !== undefined && { rights: item.rights }),
    ...(item.language !== undefined && { language: item.language }),
    publishedAt: Date.parse(item.publishedAt) || 0,
    titleSort: titleSortKey(item.title),
  };
  const title = cleanText(item.title);
  const meta = cleanText(metadataText(item));
  const docs: MeiliDoc[] = [
    {
      id: metaDocId(itemKey),
      kind: 'item',
      ...shared,
      tTitle: title,
      tMeta: meta,
      fTitle: foldWords(title),
      fMeta: foldWords(meta),
      roots: rootsOf(`${title} ${meta}`),
    },
  ];
  for (const page of pages) {
    const text = cleanText(page.text);
    if (text.trim() === '') continue;
    docs.push({
      id: pageDocId(itemKey, page.page),
      kind: 'page',
      page: page.page,
      ...shared,
      tBody: text,
      fBody: foldWords(text),
      roots: rootsOf(text),
    });
  }
  return docs;
}

type Formatted = Partial<Record<(typeof TEXT_FIELDS)[number], string>>;

/** A Meilisearch hit as a port hit; `boost` lifts exact-spelling hits above folded ones. */
export function toRichHit(
  hit: MeiliDoc & { _formatted?: Formatted; _rankingScore?: number },
  boost: number,
  isForm?: (word: string) => boolean,
): RichHit {
  const f: Formatted = { ...hit, ...hit._formatted };
  return {
    itemId: hit.itemId,
    nomorInduk: hit.nomorInduk,
    title: hit.title,
    page: hit.kind === 'page' ? (hit.page ?? null) : null,
    snippet: buildSnippet(
      displayText([f.tTitle ?? '', f.tMeta ?? '', f.tBody ?? '']),
      displayText([f.fTitle ?? '', f.fMeta ?? '', f.fBody ?? '']),
      isForm,
    ),
    score: boost + (hit._rankingScore ?? 0),
    ...(hit.creator !== undefined && { creator: hit.creator }),
    ...(hit.year !== undefined && { year: hit.year }),
    ...(hit.type !== undefined && { type: hit.type }),
    ...(hit.rights !== undefined && { rights: hit.rights }),
  };
}
