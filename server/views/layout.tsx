import type { ComponentChildren } from 'preact';
import { type Lang, translator } from '../../core/messages.ts';
import { BASE_CSS } from './base.css.ts';

export interface LayoutProps {
  lang: Lang;
  title: string;
  /** Meta description for search engines and link previews. */
  description?: string;
  /** Path (with query) of this page, used for the language switch. */
  path: string;
  /** Extra CSS for this page (kept inline: one request less on slow connections). */
  css?: string;
  head?: ComponentChildren;
  header?: ComponentChildren;
  /** After <main>: the page's contentinfo landmark (a <footer>). */
  footer?: ComponentChildren;
  children: ComponentChildren;
  /** Scripts are progressive enhancement: every page works without them. */
  scripts?: string[];
}

/** Swap `lang=` in a path's query, keeping the rest. */
export function withLang(path: string, lang: Lang): string {
  const [p, q = ''] = path.split('?', 2);
  const params = new URLSearchParams(q);
  params.set('lang', lang);
  return `${p}?${params.toString()}`;
}

/** The one page frame: semantic landmarks, skip link, language switch, small inline CSS. */
export function Layout(props: LayoutProps) {
  const tr = translator(props.lang);
  const other: Lang = props.lang === 'id' ? 'en' : 'id';
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        {/* Raw text element: preact would entity-escape quotes in CSS (font names) as text. */}
        <style dangerouslySetInnerHTML={{ __html: (BASE_CSS + (props.css ?? '')).replace(/<\//g, '<\\/') }} />
        {props.head}
      </head>
      <body>
        <a class="skip" href="#isi">
          {tr('skip_to_content')}
        </a>
        <header class="site">
          {props.header ?? (
            <a class="brand" href="/">
              {tr('site_name')}
            </a>
          )}
          <a class="lang" href={withLang(props.path, other)} hreflang={other} lang={other}>
            {tr('lang_switch_to')}
          </a>
        </header>
        <main id="isi">{props.children}</main>
        {props.footer}
        {(props.scripts ?? []).map((src) => (
          <script src={src} defer />
        ))}
      </body>
    </html>
  );
}
