import type { Page } from '../../../core/item.types.ts';
import type { Lang, Translator } from '../../../core/messages.ts';
import type { WordHit } from '../../collection/page-words.ts';
import { fullSize, maxSize, type PublicItem } from '../../collection/public-item.ts';
import { urls } from '../../collection/urls.ts';
import { InsideSearch, ThumbStrip } from './item.view.tsx';
import { PageText } from './page-text.tsx';
import { CollectionPage, Crumbs } from './parts.tsx';

/** One page as the reader shows it: its image (sizes to choose from) and the marked words. */
export interface ReaderPage {
  page: Page;
  image: { src: string; srcset: string };
  marks: WordHit[];
}

export interface ReaderProps extends ReaderPage {
  lang: Lang;
  tr: Translator;
  path: string;
  base: string;
  pub: PublicItem;
  pages: Page[];
  text: string;
  q: string;
  /** Pages of this item where q was found, in page order (for the list and the thumbnails). */
  hitPages: number[];
  /** The page facing this one in a two-page spread (shown only when the reader asks for it). */
  facing: ReaderPage | null;
}

/**
 * The page printed opposite `n` in an open book: page 1 (the cover or first recto) stands alone,
 * then even pages on the left face the odd page after them.
 */
export function facingPageNo(n: number, last: number): number | null {
  if (n <= 1) return null;
  const other = n % 2 === 0 ? n + 1 : n - 1;
  return other >= 1 && other <= last ? other : null;
}

const pct = (v: number, of: number) => `${((100 * v) / of).toFixed(3)}%`;

function PageFigure(p: { tr: Translator; pub: PublicItem; rp: ReaderPage; id?: string; sizes: string }) {
  const { page } = p.rp;
  const full = fullSize(page);
  const n = page.pageNo;
  return (
    <figure
      class="pageimg"
      id={p.id}
      data-page={n}
      data-iiif={`/iiif/${p.pub.item.id}/p${n}`}
      data-max-width={maxSize(p.pub, page).width}
      data-full-width={full.width}
      // The page's shape: "fit whole page" sizes the figure from the height there is.
      style={{ '--ar': (full.width / full.height).toFixed(4) }}
    >
      <img
        src={p.rp.image.src}
        srcset={p.rp.image.srcset}
        sizes={p.sizes}
        width={full.width}
        height={full.height}
        alt={p.tr('page_image_alt', { n, title: p.pub.item.title })}
      />
      {p.rp.marks.map((m) => (
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
  );
}

export function ReaderView(p: ReaderProps) {
  const { tr, pub, page } = p;
  const { item } = pub;
  const n = page.pageNo;
  const last = p.pages.at(-1)?.pageNo ?? n;
  const q = p.q || undefined;
  const facing = p.facing;
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
          { href: urls.item(item.id, q), label: item.title },
          { label: tr('page_n', { n }) },
        ]}
      />
      <h1 class="reader-title">
        {item.title} <span class="muted">— {tr('page_of', { n, total: last })}</span>
      </h1>
      {q && p.hitPages.length === 0 ? (
        <p class="nohits" role="status">
          {tr('inside_none', { q })}
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
        {/* Buttons only work with the script: hidden without it (CSS `.js .tools`). */}
        <fieldset class="tools">
          <legend class="sr">{tr('reader_tools')}</legend>
          <button type="button" data-zoom="out" aria-label={tr('reader_zoom_out')}>
            −
          </button>
          <button type="button" data-zoom="in" aria-label={tr('reader_zoom_in')}>
            +
          </button>
          <button type="button" data-fit="page" aria-pressed="false">
            {tr('reader_fit_page')}
          </button>
          <button type="button" data-fit="width" aria-pressed="false">
            {tr('reader_fit_width')}
          </button>
          <button type="button" class="two" data-two aria-pressed="false">
            {tr('reader_two_pages')}
          </button>
          <button type="button" data-fullscreen aria-pressed="false" aria-keyshortcuts="f">
            {tr('reader_fullscreen')}
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
      <div class="reader" id="reader">
        <section
          class="viewport"
          id="viewport"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to pan it
          tabIndex={0}
          aria-label={tr('page_n', { n })}
          data-page={n}
          data-last={last}
        >
          <div class="spread">
            <PageFigure tr={tr} pub={pub} rp={p} id="halaman" sizes="(min-width: 62rem) 60rem, 100vw" />
          </div>
        </section>
        {/* Beside the image on wide screens (scrolls on its own there), below it on phones. */}
        <section class="side" aria-label={tr('reader_text_of_page')}>
          <InsideSearch tr={tr} itemId={item.id} q={p.q} action={urls.item(item.id)} />
          {p.marks.length > 0 ? <p role="status">{tr('reader_marks', { n: p.marks.length })}</p> : null}
          {p.hitPages.length > 0 ? (
            <p class="found">
              {tr('results_found_on_pages')}{' '}
              {p.hitPages.map((h, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  {h === n ? (
                    <strong aria-current="page">{h}</strong>
                  ) : (
                    <a href={urls.page(item.id, h, q)} aria-label={tr('results_page_label', { n: h })}>
                      {h}
                    </a>
                  )}
                </>
              ))}
            </p>
          ) : null}
          {/* Open for wide screens (beside the image); the script folds it on phones. */}
          <details class="textpage" open>
            <summary>{tr('reader_text_of_page')}</summary>
            <PageText
              text={p.text}
              lang={item.metadata.language?.[0] === 'eng' ? 'en' : 'id'}
              empty={tr('text_empty_page')}
            />
          </details>
          <p class="muted keys">{tr('reader_keys_hint')}</p>
        </section>
      </div>
      {facing ? (
        // Inert until the two-page view asks for it: no image is fetched on phones.
        <template id="facing" data-side={facing.page.pageNo < n ? 'left' : 'right'}>
          <a
            class="facing"
            href={urls.page(item.id, facing.page.pageNo, q)}
            aria-label={tr('reader_facing_link', { n: facing.page.pageNo })}
          >
            <PageFigure tr={tr} pub={pub} rp={facing} sizes="(min-width: 62rem) 30rem, 50vw" />
          </a>
        </template>
      ) : null}
      <p>
        <a href={`${urls.text(item.id)}#p${n}`}>{tr('text_view')}</a> ·{' '}
        <a href={urls.item(item.id, q)}>{tr('back_to_item')}</a>
      </p>
      <h2>{tr('pages_title')}</h2>
      <ThumbStrip tr={tr} pub={pub} pages={p.pages} current={n} q={p.q} hits={p.hitPages} />
    </CollectionPage>
  );
}
