import type { ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { Lang, Translator } from '../../../core/messages.ts';
import { contactLink, type LibrarySite, logoUrl } from '../../collection/library-site.ts';
import { urls } from '../../collection/urls.ts';
import { Layout, withLang } from '../layout.tsx';
import { COLLECTION_CSS } from './collection.css.ts';
import { SiteContext } from './site-context.ts';

/** The library's logo and footer: a few rules beside the collection's stylesheet. */
const SITE_CSS =
  'header.site .brand img{height:40px;width:auto;max-width:60vw;flex:none;background:#fff;border-radius:4px;padding:2px}' +
  'footer.site address{font-style:normal;margin:0 0 8px}footer.site address p{margin:0}' +
  'footer.site ul{list-style:none;padding:0;margin:0 0 8px;display:flex;flex-wrap:wrap;gap:4px 16px}' +
  'footer.site a{color:#0b3d66}';

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

/**
 * The library's logo in the header. Its alt text is empty on purpose: the logo sits inside the
 * home link beside the library's name, which is the link's text (WAI images tutorial, "image in a
 * link with text"); a screen reader then says the name once, not twice.
 */
function SiteLogo(p: { site: LibrarySite }) {
  const logo = p.site.logo;
  if (!logo) return <Logo />;
  const h = 40;
  const w = logo.size ? Math.round((h * logo.size.width) / logo.size.height) : undefined;
  return <img src={logoUrl(logo)} alt="" height={h} width={w} />;
}

/** The footer: the library's name, address and contacts, and the about page. */
function SiteFooter(p: { tr: Translator; site: LibrarySite }) {
  const { tr, site } = p;
  return (
    <footer class="site">
      <h2 class="sr">{tr('site_footer_label')}</h2>
      <address>
        <p>
          <strong>{tr('site_name')}</strong>
        </p>
        {site.address.map((line) => (
          <p>{line}</p>
        ))}
      </address>
      <ul>
        {site.contact.map((c) => {
          const l = contactLink(c);
          return <li>{l.href ? <a href={l.href}>{l.label}</a> : l.label}</li>;
        })}
        <li>
          <a href="/tentang">{tr('about_link')}</a>
        </li>
      </ul>
      <p>{tr('footer_text')}</p>
    </footer>
  );
}

/** Layout with the collection's header (brand + search) and footer. */
export function CollectionPage(p: PageProps) {
  const site = useContext(SiteContext);
  const header = (
    <>
      <a class="brand" href="/">
        <SiteLogo site={site} />
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
      css={COLLECTION_CSS + SITE_CSS}
      head={
        <>
          {site.logo ? (
            <link rel="icon" type={site.logo.type} href={logoUrl(site.logo)} />
          ) : (
            <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
          )}
          <meta property="og:site_name" content={p.tr('site_name')} />
          <link rel="alternate" hreflang="id" href={withLang(p.path, 'id')} />
          <link rel="alternate" hreflang="en" href={withLang(p.path, 'en')} />
          {p.head}
        </>
      }
      header={header}
      footer={<SiteFooter tr={p.tr} site={site} />}
      scripts={p.scripts}
    >
      {p.children}
    </Layout>
  );
}

/**
 * A metadata row whose values are browse links (creators, subjects): each lists the items with
 * that value (/cari?creator=… or ?subject=…).
 */
export function MetaLinks(p: { label: string; values: string[] | undefined; filter: 'creator' | 'subject' }) {
  if (!p.values?.length) return null;
  return (
    <>
      <dt>{p.label}</dt>
      <dd>
        {p.values.map((v, i) => (
          <>
            {i > 0 ? '; ' : ''}
            <a href={urls.search({ [p.filter]: v })}>{v}</a>
          </>
        ))}
      </dd>
    </>
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
/** Sizes read the same on public and staff pages (core/format.ts). */
export { formatBytes } from '../../../core/format.ts';

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
