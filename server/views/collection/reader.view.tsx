import type { Page } from '../../../core/item.types.ts';
import type { Lang, Translator } from '../../../core/messages.ts';
import type { WordHit } from '../../collection/page-words.ts';
import { fullSize, maxSize, type PublicItem } from '../../collection/public-item.ts';
import { urls } from '../../collection/urls.ts';
import { InsideSearch, ThumbStrip } from './item.view.tsx';
import { PageText } from './page-text.tsx';
import { CollectionPage, Crumbs } from './parts.tsx';

export interface ReaderProps {
  lang: Lang;
  tr: Translator;
  path: string;
  base: string;
  pub: PublicItem;
  pages: Page[];
  page: Page;
  image: { src: string; srcset: string };
  marks: WordHit[];
  text: string;
  q: string;
  /** Pages of this item where q was found (for next/previous hit). */
  hitPages: number[];
}

const pct = (v: number, of: number) => `${((100 * v) / of).toFixed(3)}%`;

export function ReaderView(p: ReaderProps) {
  const { tr, pub, page } = p;
  const { item } = pub;
  const full = fullSize(page);
  const limit = maxSize(pub, page);
  const n = page.pageNo;
  const last = p.pages.at(-1)?.pageNo ?? n;
  const q = p.q || undefined;
  return (
    <CollectionPage
      lang={p.lang}
      tr={tr}
      title={`${tr('page_n', { n })} — ${item.title} — ${tr('site_name')}`}
      description={p.text.replace(/\s+/g, ' ').slice(0, 200)}
      path={p.path}
      headerSearch=""
      head={<link rel="canonical" href={`${p.base}${urls.page(item.id, n)}`} />}
      scripts={['/static/viewer.js']}
    >
      <Crumbs
        tr={tr}
        items={[
          { href: '/', label: tr('home_link') },
          { href: urls.item(item.id), label: item.title },
          { label: tr('page_n', { n }) },
        ]}
      />
      <h1>
        {item.title} <span class="muted">— {tr('page_of', { n, total: last })}</span>
      </h1>
      <InsideSearch tr={tr} itemId={item.id} q={p.q} action={urls.item(item.id)} />
      {p.marks.length > 0 ? <p role="status">{tr('reader_marks', { n: p.marks.length })}</p> : null}
      {p.hitPages.length > 0 ? (
        <p class="found">
          {tr('results_found_on_pages')}{' '}
          {p.hitPages.map((h, i) => (
            <>
              {i > 0 ? ', ' : ''}
              {h === n ? <strong>{h}</strong> : <a href={urls.page(item.id, h, q)}>{h}</a>}
            </>
          ))}
        </p>
      ) : null}
      <nav class="reader-bar" aria-label={tr('reader_title')}>
        {n > 1 ? (
          <a href={urls.page(item.id, n - 1, q)} rel="prev" data-key="prev">
            {tr('reader_prev')}
          </a>
        ) : (
          <span />
        )}
        <form action={`/item/${item.id}/halaman`} method="get">
          <label for="goto">{tr('reader_goto')}</label>
          <input id="goto" type="number" name="n" min={1} max={last} value={n} inputMode="numeric" />
          {q ? <input type="hidden" name="q" value={q} /> : null}
          <button type="submit">{tr('reader_go')}</button>
        </form>
        <fieldset class="zoom">
          <legend class="sr">{tr('reader_zoom_in')}</legend>
          <button type="button" data-zoom="out" aria-label={tr('reader_zoom_out')}>
            −
          </button>
          <button type="button" data-zoom="reset">
            {tr('reader_zoom_reset')}
          </button>
          <button type="button" data-zoom="in" aria-label={tr('reader_zoom_in')}>
            +
          </button>
        </fieldset>
        {n < last ? (
          <a href={urls.page(item.id, n + 1, q)} rel="next" data-key="next">
            {tr('reader_next')}
          </a>
        ) : (
          <span />
        )}
      </nav>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to pan it */}
      <section class="viewport" id="viewport" tabIndex={0} aria-label={tr('page_n', { n })}>
        <figure
          class="pageimg"
          id="halaman"
          style={{ margin: '0 auto' }}
          data-iiif={`/iiif/${item.id}/p${n}`}
          data-max-width={limit.width}
          data-full-width={full.width}
        >
          <img
            src={p.image.src}
            srcset={p.image.srcset}
            sizes="(min-width: 62rem) 60rem, 100vw"
            width={full.width}
            height={full.height}
            alt={tr('page_image_alt', { n, title: item.title })}
          />
          {p.marks.map((m) => (
            <span
              class="mark"
              data-word={m.text}
              aria-hidden="true"
              style={{
                left: pct(m.box.x0, full.width),
                top: pct(m.box.y0, full.height),
                width: pct(m.box.x1 - m.box.x0, full.width),
                height: pct(m.box.y1 - m.box.y0, full.height),
              }}
            />
          ))}
        </figure>
      </section>
      <details class="textpage">
        <summary>{tr('reader_text_of_page')}</summary>
        <PageText
          text={p.text}
          lang={item.metadata.language?.[0] === 'eng' ? 'en' : 'id'}
          empty={tr('text_empty_page')}
        />
      </details>
      <p>
        <a href={`${urls.text(item.id)}#p${n}`}>{tr('text_view')}</a> ·{' '}
        <a href={urls.item(item.id)}>{tr('back_to_item')}</a>
      </p>
      <h2>{tr('pages_title')}</h2>
      <ThumbStrip tr={tr} pub={pub} pages={p.pages} current={n} q={p.q} />
    </CollectionPage>
  );
}
