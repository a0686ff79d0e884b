import type { Lang, Translator } from '../../../core/messages.ts';
import type { Facets, FoundItem } from '../../collection/collection-search.ts';
import { urls } from '../../collection/urls.ts';
import { CollectionPage } from './parts.tsx';

export interface HomeProps {
  lang: Lang;
  tr: Translator;
  path: string;
  recent: Array<FoundItem & { thumb: string | null }>;
  facets: Facets;
  total: number;
}

/** Decades ("1930-an") from a year → count map, oldest first. */
function decades(years: Record<string, number>): Array<{ from: number; n: number }> {
  const by = new Map<number, number>();
  for (const [y, n] of Object.entries(years)) {
    const d = Math.floor(Number(y) / 10) * 10;
    by.set(d, (by.get(d) ?? 0) + n);
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([from, n]) => ({ from, n }));
}

function BrowseList(p: { title: string; entries: Array<{ href: string; label: string; n: number }> }) {
  if (p.entries.length === 0) return null;
  return (
    <section>
      <h3>{p.title}</h3>
      <ul>
        {p.entries.map((e) => (
          <li>
            <a href={e.href}>{e.label}</a> <span class="count">({e.n})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

const byCount = (m: Record<string, number>) =>
  Object.entries(m).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

export function HomeView(p: HomeProps) {
  const { tr } = p;
  return (
    <CollectionPage
      lang={p.lang}
      tr={tr}
      title={tr('home_title', { name: tr('site_name') })}
      description={tr('home_description')}
      path={p.path}
    >
      <section class="hero">
        <h1>{tr('site_name')}</h1>
        <p>{tr('home_lead')}</p>
        <search>
          <form class="bigsearch" action="/cari" method="get">
            <label class="sr" for="q">
              {tr('search_label')}
            </label>
            <input id="q" type="search" name="q" placeholder={tr('search_placeholder')} />
            <button type="submit">{tr('search_button')}</button>
          </form>
        </search>
        <p class="hint">{tr('search_hint')}</p>
      </section>
      <section aria-labelledby="recent">
        <h2 id="recent">{tr('recent_title')}</h2>
        {p.recent.length === 0 ? (
          <p>{tr('collection_empty')}</p>
        ) : (
          <ul class="cards">
            {p.recent.map(({ item, thumb }) => (
              <li class="card">
                <a href={urls.item(item.id)}>
                  {thumb ? <img src={thumb} alt="" width={150} height={200} loading="lazy" /> : null}
                  <span class="t">{item.title}</span>
                  <span class="s">
                    {[item.metadata.creator?.[0], item.metadata.year].filter(Boolean).join(' · ')}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="browse">
        <h2 id="browse">{tr('browse_title')}</h2>
        <div class="browse">
          <BrowseList
            title={tr('browse_by_collection')}
            entries={byCount(p.facets.collection).map(([v, n]) => ({
              href: urls.search({ collection: v }),
              label: v,
              n,
            }))}
          />
          <BrowseList
            title={tr('browse_by_type')}
            entries={byCount(p.facets.type).map(([v, n]) => ({
              href: urls.search({ type: v }),
              label: v,
              n,
            }))}
          />
          <BrowseList
            title={tr('browse_by_year')}
            entries={decades(p.facets.year).map(({ from, n }) => ({
              href: urls.search({ yearFrom: from, yearTo: from + 9 }),
              label: p.lang === 'id' ? `${from}-an` : `${from}s`,
              n,
            }))}
          />
        </div>
        <p>
          <a href={urls.search({})}>{tr('browse_all', { n: p.total })}</a>
        </p>
      </section>
    </CollectionPage>
  );
}
