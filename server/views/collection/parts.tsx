import type { ComponentChildren } from 'preact';
import { type Lang, localeOf, type Translator } from '../../../core/messages.ts';
import { Layout, withLang } from '../layout.tsx';
import { COLLECTION_CSS } from './collection.css.ts';

/** A book icon for the brand: inline SVG, no request. */
const Logo = () => (
  <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path fill="#fff" d="M4 4.5C4 3.7 4.7 3 5.5 3H11v16H5.5c-.8 0-1.5.3-1.5.3V4.5z" />
    <path fill="#ffb37a" d="M13 3h5.5c.8 0 1.5.7 1.5 1.5v14.8s-.7-.3-1.5-.3H13V3z" />
  </svg>
);

export interface PageProps {
  lang: Lang;
  tr: Translator;
  title: string;
  description?: string;
  path: string;
  /** Show the compact search box in the header (every page but home). */
  headerSearch?: string | null;
  head?: ComponentChildren;
  scripts?: string[];
  children: ComponentChildren;
}

/** Layout with the collection's header (brand + search) and footer. */
export function CollectionPage(p: PageProps) {
  const header = (
    <>
      <a class="brand" href="/">
        <Logo />
        {p.tr('site_name')}
      </a>
      {p.headerSearch !== null && p.headerSearch !== undefined ? (
        <search>
          <form class="hsearch" action="/cari" method="get">
            <label class="sr" for="hq">
              {p.tr('search_label')}
            </label>
            <input
              id="hq"
              type="search"
              name="q"
              value={p.headerSearch}
              placeholder={p.tr('search_placeholder')}
            />
            <button type="submit">{p.tr('search_button')}</button>
          </form>
        </search>
      ) : null}
    </>
  );
  return (
    <Layout
      lang={p.lang}
      title={p.title}
      description={p.description}
      path={p.path}
      css={COLLECTION_CSS}
      head={
        <>
          <link rel="alternate" hreflang="id" href={withLang(p.path, 'id')} />
          <link rel="alternate" hreflang="en" href={withLang(p.path, 'en')} />
          {p.head}
        </>
      }
      header={header}
      scripts={p.scripts}
    >
      {p.children}
      <footer class="site">
        <p>{p.tr('footer_text')}</p>
      </footer>
    </Layout>
  );
}

export function Crumbs(p: { tr: Translator; items: Array<{ href?: string; label: string }> }) {
  return (
    <nav class="crumbs" aria-label={p.tr('breadcrumb')}>
      <ol>
        {p.items.map((c, i) =>
          c.href && i < p.items.length - 1 ? (
            <li>
              <a href={c.href}>{c.label}</a>
            </li>
          ) : (
            <li aria-current="page">{c.label}</li>
          ),
        )}
      </ol>
    </nav>
  );
}

export function AccessBadge(p: { tr: Translator; access: 'open' | 'read-online' }) {
  return <span class={p.access === 'open' ? 'badge' : 'badge ro'}>{p.tr(`access_${p.access}`)}</span>;
}

/** "1,2 MB" in Indonesian, "1.2 MB" in English. */
export function formatBytes(lang: Lang, bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const nf = new Intl.NumberFormat(localeOf(lang), {
    maximumFractionDigits: u === 0 ? 0 : 1,
  });
  return `${nf.format(v)} ${units[u]}`;
}

/** Language codes (ISO 639) shown as names in the page language. */
export function languageName(lang: Lang, code: string): string {
  const two: Record<string, string> = {
    ind: 'id',
    eng: 'en',
    jav: 'jv',
    sun: 'su',
    nld: 'nl',
    dut: 'nl',
    msa: 'ms',
  };
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(two[code] ?? code) ?? code;
  } catch {
    return code;
  }
}
