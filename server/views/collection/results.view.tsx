import type { Lang, Translator } from '../../../core/messages.ts';
import {
  defaultSort,
  FACETS,
  type Facet,
  type FoundItem,
  type ItemSearchParams,
  type ItemSearchResult,
  SORTS,
} from '../../collection/collection-search.ts';
import { queryNotes } from '../../collection/query-notes.ts';
import { urls } from '../../collection/urls.ts';
import { AccessBadge, CollectionPage, languageName } from './parts.tsx';
import { pageCount, shownCount } from './result-counts.ts';

export interface ResultsProps {
  lang: Lang;
  tr: Translator;
  path: string;
  params: ItemSearchParams;
  result: ItemSearchResult;
  thumbs: Map<string, string>;
}

type Query = Record<string, string | number | undefined>;

/** The current search as URL params (lists comma-joined), so links can change one thing. */
function toQuery(p: ItemSearchParams): Query {
  return {
    q: p.q || undefined,
    type: p.type?.join(',') || undefined,
    language: p.language?.join(',') || undefined,
    collection: p.collection?.join(',') || undefined,
    yearFrom: p.yearFrom,
    yearTo: p.yearTo,
    creator: p.creator,
    subject: p.subject,
    sort: p.sort === defaultSort(p.q) ? undefined : p.sort,
  };
}

function toggle(p: ItemSearchParams, facet: Facet, value: string): string {
  const q = toQuery(p);
  if (facet === 'year') return urls.search({ ...q, yearFrom: Number(value), yearTo: Number(value) });
  const current = p[facet] ?? [];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  return urls.search({ ...q, [facet]: next.join(',') || undefined });
}

function facetCount(tr: Translator, lang: Lang, n: number, estimated: boolean): string {
  return estimated ? tr('facet_count_about', { n: shownCount(lang, n, true) }) : shownCount(lang, n, false);
}

function FacetBox(p: {
  tr: Translator;
  lang: Lang;
  params: ItemSearchParams;
  facet: Facet;
  counts: Record<string, number>;
  estimated: boolean;
}) {
  const entries = Object.entries(p.counts).sort((a, b) =>
    p.facet === 'year' ? Number(b[0]) - Number(a[0]) : b[1] - a[1] || a[0].localeCompare(b[0]),
  );
  if (entries.length === 0 && p.facet !== 'year') return null;
  const selected = (v: string) =>
    p.facet === 'year'
      ? p.params.yearFrom === Number(v) && p.params.yearTo === Number(v)
      : (p.params[p.facet] ?? []).includes(v);
  const q = toQuery(p.params);
  return (
    <section class="facet" aria-labelledby={`f-${p.facet}`}>
      <h3 id={`f-${p.facet}`}>{p.tr(`facet_${p.facet}`)}</h3>
      <ul>
        {entries.slice(0, 12).map(([v, n]) => (
          <li>
            <a href={toggle(p.params, p.facet, v)} aria-current={selected(v) ? 'true' : undefined}>
              {p.facet === 'language' ? languageName(p.lang, v) : v}
            </a>{' '}
            <span class="count">({facetCount(p.tr, p.lang, n, p.estimated)})</span>
          </li>
        ))}
      </ul>
      {p.facet === 'year' ? (
        <form class="years" action="/cari" method="get">
          {Object.entries(q)
            .filter(([k, v]) => v !== undefined && k !== 'yearFrom' && k !== 'yearTo')
            .map(([k, v]) => (
              <input type="hidden" name={k} value={String(v)} />
            ))}
          <label>
            {p.tr('year_from')}
            <input
              type="number"
              name="yearFrom"
              inputMode="numeric"
              min={1000}
              max={2100}
              value={p.params.yearFrom}
            />
          </label>
          <label>
            {p.tr('year_to')}
            <input
              type="number"
              name="yearTo"
              inputMode="numeric"
              min={1000}
              max={2100}
              value={p.params.yearTo}
            />
          </label>
          <button type="submit">{p.tr('sort_apply')}</button>
        </form>
      ) : null}
    </section>
  );
}

function Hit(p: { tr: Translator; f: FoundItem; q: string; thumb: string | undefined }) {
  const { item } = p.f;
  const m = item.metadata;
  return (
    <li class="hit">
      {p.thumb ? <img src={p.thumb} alt="" width={72} height={96} loading="lazy" /> : null}
      <div>
        <h2>
          <a href={urls.item(item.id, p.q || undefined)}>{item.title}</a>
        </h2>
        <p class="by">
          {[m.creator?.join('; '), m.publisher, m.year, m.type].filter(Boolean).join(' · ')}{' '}
          <AccessBadge tr={p.tr} access={m.rights === 'read-online' ? 'read-online' : 'open'} />
        </p>
        {p.f.snippet ? <p class="snip" dangerouslySetInnerHTML={{ __html: p.f.snippet }} /> : null}
        {p.f.pages.length > 0 ? (
          <p class="found">
            {p.tr('results_found_on_pages')}{' '}
            {p.f.pages.map((n, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a href={urls.page(item.id, n, p.q)} aria-label={p.tr('results_page_label', { n })}>
                  {n}
                </a>
              </>
            ))}
          </p>
        ) : p.q ? (
          <p class="found muted">{p.tr('results_found_in_metadata')}</p>
        ) : null}
      </div>
    </li>
  );
}

function Pager(p: { tr: Translator; params: ItemSearchParams; total: number }) {
  const pages = pageCount(p.total, p.params.perPage);
  if (pages <= 1) return null;
  const cur = p.params.page;
  const q = toQuery(p.params);
  const shown = [...new Set([1, cur - 2, cur - 1, cur, cur + 1, cur + 2, pages])]
    .filter((n) => n >= 1 && n <= pages)
    .sort((a, b) => a - b);
  return (
    <nav class="pager" aria-label={p.tr('results_nav')}>
      <ul>
        {cur > 1 ? (
          <li>
            <a href={urls.search({ ...q, hal: cur - 1 })} rel="prev">
              {p.tr('results_prev')}
            </a>
          </li>
        ) : null}
        {shown.map((n) => (
          <li>
            {n === cur ? (
              <span aria-current="page">{n}</span>
            ) : (
              <a href={urls.search({ ...q, hal: n })}>{n}</a>
            )}
          </li>
        ))}
        {cur < pages ? (
          <li>
            <a href={urls.search({ ...q, hal: cur + 1 })} rel="next">
              {p.tr('results_next')}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** "Showing results for …" after a spelling correction; the modern spelling of old words. */
function QueryNote(p: { tr: Translator; q: string; corrections: ItemSearchResult['corrections'] }) {
  const notes = queryNotes(p.q, p.corrections);
  if (notes.showingFor === null && notes.modern.length === 0) return null;
  return (
    <p class="query-note">
      {notes.showingFor !== null ? (
        <>
          {p.tr('results_showing_for')}{' '}
          <a href={urls.search({ q: notes.showingFor })}>
            <strong>{notes.showingFor}</strong>
          </a>
          . {p.tr('results_no_match_for')} “{p.q.trim()}”.{' '}
        </>
      ) : null}
      {notes.modern.length > 0 ? (
        <>
          {p.tr('results_modern_spelling')} <strong>{notes.modern.join(', ')}</strong>
        </>
      ) : null}
    </p>
  );
}

export function ResultsView(p: ResultsProps) {
  const { tr, params, result } = p;
  const q = toQuery(params);
  const title = params.q
    ? tr('results_title', { q: params.q })
    : params.creator !== undefined
      ? tr('results_title_creator', { name: params.creator })
      : params.subject !== undefined
        ? tr('results_title_subject', { name: params.subject })
        : tr('results_title_browse');
  const filtered = Boolean(
    params.creator !== undefined ||
      params.subject !== undefined ||
      params.type?.length ||
      params.language?.length ||
      params.collection?.length ||
      params.yearFrom ||
      params.yearTo,
  );
  return (
    <CollectionPage
      lang={p.lang}
      tr={tr}
      title={`${title} — ${tr('site_name')}`}
      path={p.path}
      headerSearch={params.q}
      head={<meta name="robots" content="noindex, follow" />}
    >
      <h1>{title}</h1>
      <div class="results-layout">
        <aside class="filters" aria-label={tr('results_refine')}>
          <h2 class="sr">{tr('results_refine')}</h2>
          {filtered ? (
            <p>
              <a href={urls.search({ q: params.q || undefined, sort: q.sort })}>
                {tr('results_clear_filters')}
              </a>
            </p>
          ) : null}
          {FACETS.map((f) => (
            <FacetBox
              tr={tr}
              lang={p.lang}
              params={params}
              facet={f}
              counts={result.facets[f]}
              estimated={result.estimated}
            />
          ))}
        </aside>
        <section aria-labelledby="count">
          <div class="toolbar">
            <p id="count" role="status">
              <strong>
                {result.estimated
                  ? tr('results_count_about', { n: shownCount(p.lang, result.totalItems, true) })
                  : result.totalItems === 1
                    ? tr('results_count_one')
                    : tr('results_count', { n: shownCount(p.lang, result.totalItems, false) })}
              </strong>
              {result.estimated ? <span class="muted"> {tr('results_count_about_hint')}</span> : null}
            </p>
            <form action="/cari" method="get">
              {Object.entries(q)
                .filter(([k, v]) => v !== undefined && k !== 'sort')
                .map(([k, v]) => (
                  <input type="hidden" name={k} value={String(v)} />
                ))}
              <label for="sort">{tr('sort_label')}</label>{' '}
              <select id="sort" name="sort">
                {SORTS.map((s) => (
                  <option value={s} selected={s === params.sort}>
                    {tr(`sort_${s}`)}
                  </option>
                ))}
              </select>{' '}
              <button type="submit">{tr('sort_apply')}</button>
            </form>
          </div>
          <QueryNote tr={tr} q={params.q} corrections={result.corrections} />
          {result.items.length === 0 ? (
            <p>{tr('results_none', { q: params.q })}</p>
          ) : (
            <ol class="hits" start={(params.page - 1) * params.perPage + 1}>
              {result.items.map((f) => (
                <Hit tr={tr} f={f} q={params.q} thumb={p.thumbs.get(f.item.id)} />
              ))}
            </ol>
          )}
          <Pager tr={tr} params={params} total={result.totalItems} />
        </section>
      </div>
    </CollectionPage>
  );
}
