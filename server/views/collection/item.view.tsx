import { formatDate } from '../../../core/format.ts';
import type { Page } from '../../../core/item.types.ts';
import type { Lang, Translator } from '../../../core/messages.ts';
import type { PublicItem } from '../../collection/public-item.ts';
import { urls } from '../../collection/urls.ts';
import { AccessBadge, CollectionPage, Crumbs, formatBytes, languageName, MetaLinks } from './parts.tsx';

export interface InsideHit {
  pageNo: number;
  snippet: string;
}

export interface ItemProps {
  lang: Lang;
  tr: Translator;
  path: string;
  base: string;
  pub: PublicItem;
  pages: Page[];
  q: string;
  /** Pages of this item where q was found, in page order; null without a query. */
  inside: InsideHit[] | null;
}

export function itemDescription(tr: Translator, pub: PublicItem): string {
  const m = pub.item.metadata;
  const by = [m.creator?.join('; '), m.publisher, m.year].filter(Boolean).join(', ');
  return [pub.item.title, by, m.description ?? `${tr('meta_pages')}: ${pub.item.pageCount}`]
    .filter(Boolean)
    .join(' — ')
    .slice(0, 300);
}

export function citation(lang: Lang, tr: Translator, pub: PublicItem, base: string): string {
  const m = pub.item.metadata;
  const today = formatDate(lang, new Date().toISOString());
  const parts = [
    m.creator?.length ? `${m.creator.join('; ')}.` : '',
    m.year ? `(${m.year}).` : '',
    `${pub.item.title}.`,
    [m.place, m.publisher].filter(Boolean).join(': ')
      ? `${[m.place, m.publisher].filter(Boolean).join(': ')}.`
      : '',
    pub.item.nomorInduk ? `${tr('meta_nomor_induk')} ${pub.item.nomorInduk}.` : '',
    `${base}${urls.item(pub.item.id)} (${tr('cite_accessed', { date: today })}).`,
  ];
  return parts.filter(Boolean).join(' ');
}

function MetaRow(p: { label: string; value: string | number | undefined | null }) {
  if (p.value === undefined || p.value === null || p.value === '') return null;
  return (
    <>
      <dt>{p.label}</dt>
      <dd>{p.value}</dd>
    </>
  );
}

/** Thumbnails shown at once: a long book must not cost hundreds of images on a phone. */
export const THUMB_WINDOW = 24;

export function ThumbStrip(p: {
  tr: Translator;
  pub: PublicItem;
  pages: Page[];
  current?: number;
  q?: string;
  /** Pages where q was found: marked on their thumbnails (and said to screen readers). */
  hits?: readonly number[];
}) {
  const hits = new Set(p.hits ?? []);
  const at = Math.max(
    0,
    p.pages.findIndex((pg) => pg.pageNo === p.current),
  );
  const from = Math.max(0, Math.min(at - THUMB_WINDOW / 2, p.pages.length - THUMB_WINDOW));
  const shown = p.pages.slice(from, from + THUMB_WINDOW);
  const last = p.pages.at(-1)?.pageNo ?? 1;
  const link = (n: number) => urls.page(p.pub.item.id, n, p.q || undefined);
  return (
    <>
      <ol class="strip" start={shown[0]?.pageNo}>
        {shown.map((pg) => (
          <li class={hits.has(pg.pageNo) ? 'has-hits' : undefined}>
            <a href={link(pg.pageNo)} aria-current={pg.pageNo === p.current ? 'page' : undefined}>
              <img
                src={urls.thumb(p.pub.item.id, pg)}
                alt={p.tr('thumb_alt', { n: pg.pageNo })}
                width={80}
                height={110}
                loading="lazy"
              />
              {hits.has(pg.pageNo) ? <span class="sr"> — {p.tr('thumb_has_hits')}</span> : null}
            </a>
            {pg.pageNo}
          </li>
        ))}
      </ol>
      {p.pages.length > THUMB_WINDOW ? (
        <nav class="strip-nav" aria-label={p.tr('pages_title')}>
          {from > 0 ? (
            <a
              href={link(
                shown[0]?.pageNo === 1 ? 1 : Math.max(1, (shown[0]?.pageNo ?? 1) - THUMB_WINDOW / 2),
              )}
            >
              {p.tr('results_prev')}
            </a>
          ) : null}{' '}
          <form action={`/item/${p.pub.item.id}/halaman`} method="get">
            <label for="strip-goto">{p.tr('reader_goto')}</label>{' '}
            <input id="strip-goto" type="number" name="n" min={1} max={last} inputMode="numeric" />
            {p.q ? <input type="hidden" name="q" value={p.q} /> : null}{' '}
            <button type="submit">{p.tr('reader_go')}</button>
          </form>{' '}
          {from + THUMB_WINDOW < p.pages.length ? (
            <a href={link(Math.min(last, (shown.at(-1)?.pageNo ?? 1) + THUMB_WINDOW / 2 + 1))}>
              {p.tr('results_next')}
            </a>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

export function InsideSearch(p: { tr: Translator; itemId: string; q: string; action: string }) {
  return (
    <search>
      <form class="inside" action={p.action} method="get">
        <label class="sr" for="iq">
          {p.tr('inside_label')}
        </label>
        <input id="iq" type="search" name="q" value={p.q} placeholder={p.tr('inside_label')} />
        <button type="submit">{p.tr('search_button')}</button>
      </form>
    </search>
  );
}

export function ItemView(p: ItemProps) {
  const { tr, pub, pages } = p;
  const { item } = pub;
  const m = item.metadata;
  const first = pages[0];
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Book',
    name: item.title,
    ...(m.creator && { author: m.creator.map((name) => ({ '@type': 'Person', name })) }),
    ...(m.publisher && { publisher: { '@type': 'Organization', name: m.publisher } }),
    ...(m.year && { datePublished: String(m.year) }),
    ...(m.language && { inLanguage: m.language }),
    numberOfPages: item.pageCount,
    url: `${p.base}${urls.item(item.id)}`,
  };
  return (
    <CollectionPage
      lang={p.lang}
      tr={tr}
      title={`${item.title}${m.year ? ` (${m.year})` : ''} — ${tr('site_name')}`}
      description={itemDescription(tr, pub)}
      path={p.path}
      headerSearch=""
      head={
        <>
          <link rel="canonical" href={`${p.base}${urls.item(item.id)}`} />
          <link
            rel="alternate"
            type="application/ld+json"
            href={urls.manifest(item.id)}
            title="IIIF manifest"
          />
          <meta property="og:title" content={item.title} />
          <meta property="og:type" content="book" />
          {first ? <meta property="og:image" content={`${p.base}${urls.thumb(item.id, first)}`} /> : null}
          <script
            type="application/ld+json"
            dangerouslySetInnerHTML={{ __html: JSON.stringify(jsonLd).replace(/</g, '\\u003c') }}
          />
        </>
      }
    >
      <Crumbs tr={tr} items={[{ href: '/', label: tr('home_link') }, { label: item.title }]} />
      <div class="item-head">
        <div>
          <h1>{item.title}</h1>
          {m.subtitle ? <p class="muted">{m.subtitle}</p> : null}
          <p>
            <AccessBadge tr={tr} access={pub.access} />
          </p>
          <dl class="meta">
            <MetaLinks label={tr('meta_creator')} values={m.creator} filter="creator" />
            <MetaRow label={tr('meta_publisher')} value={[m.publisher, m.place].filter(Boolean).join(', ')} />
            <MetaRow label={tr('meta_year')} value={m.year} />
            <MetaRow
              label={tr('meta_language')}
              value={m.language?.map((l) => languageName(p.lang, l)).join(', ')}
            />
            <MetaRow label={tr('meta_type')} value={m.type} />
            <MetaRow label={tr('meta_collection')} value={m.collection} />
            <MetaLinks label={tr('meta_subjects')} values={m.subjects} filter="subject" />
            <MetaRow label={tr('meta_nomor_induk')} value={item.nomorInduk} />
            <MetaRow label={tr('meta_source_nomor_induk')} value={item.sourceNomorInduk} />
            <MetaRow label={tr('meta_call_number')} value={m.callNumber} />
            <MetaRow label={tr('meta_pages')} value={item.pageCount} />
            <MetaRow label={tr('meta_rights')} value={tr(`access_${pub.access}`)} />
          </dl>
          {m.description ? <p>{m.description}</p> : null}
          <div class="actions">
            {first ? (
              <a class="btn" href={urls.page(item.id, p.inside?.[0]?.pageNo ?? first.pageNo, p.q)}>
                {tr('reader_title')}
              </a>
            ) : null}
            <a class="btn alt" href={urls.text(item.id)}>
              {tr('text_view')}
            </a>
            {pub.canDownload && item.pdfBytes !== null ? (
              <a class="btn dl" href={urls.pdf(item.id)} download type="application/pdf">
                {tr('pdf_download_size', { size: formatBytes(p.lang, item.pdfBytes) })}
              </a>
            ) : null}
          </div>
          {!pub.canDownload ? <p class="muted">{tr('pdf_unavailable')}</p> : null}
        </div>
        {first ? (
          <div class="cover">
            <a href={urls.page(item.id, first.pageNo, p.q)}>
              <img
                src={urls.thumb(item.id, first)}
                alt={tr('page_image_alt', { n: first.pageNo, title: item.title })}
                width={240}
                height={Math.round(
                  (240 * (first.cleanHeight ?? first.height)) / (first.cleanWidth ?? first.width),
                )}
              />
            </a>
          </div>
        ) : null}
      </div>

      <section aria-labelledby="inside">
        <h2 id="inside">{tr('inside_label')}</h2>
        <InsideSearch tr={tr} itemId={item.id} q={p.q} action={urls.item(item.id)} />
        {p.inside === null ? null : p.inside.length === 0 ? (
          <p class="nohits" role="status">
            {tr('inside_none', { q: p.q })}
          </p>
        ) : (
          <>
            <p role="status">{tr('inside_results', { n: p.inside.length })}</p>
            <h3 class="sr">{tr('inside_pages_in_order', { q: p.q })}</h3>
            <ol class="inside-hits">
              {p.inside.map((h) => (
                <li>
                  <a href={urls.page(item.id, h.pageNo, p.q)}>{tr('page_n', { n: h.pageNo })}</a>
                  {': '}
                  <span dangerouslySetInnerHTML={{ __html: h.snippet }} />
                </li>
              ))}
            </ol>
          </>
        )}
      </section>

      <section aria-labelledby="pages">
        <h2 id="pages">{tr('pages_title')}</h2>
        <ThumbStrip tr={tr} pub={pub} pages={pages} q={p.q} hits={p.inside?.map((h) => h.pageNo)} />
      </section>

      <section aria-labelledby="cite">
        <h2 id="cite">{tr('cite_title')}</h2>
        <p class="cite">{citation(p.lang, tr, pub, p.base)}</p>
        <p class="muted">
          <a href={urls.manifest(item.id)}>{tr('iiif_manifest')}</a> — {tr('iiif_hint')}
        </p>
      </section>
    </CollectionPage>
  );
}
