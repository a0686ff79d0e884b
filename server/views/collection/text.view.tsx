import type { Lang, Translator } from '../../../core/messages.ts';
import type { PublicItem } from '../../collection/public-item.ts';
import { urls } from '../../collection/urls.ts';
import { PageText } from './page-text.tsx';
import { CollectionPage, Crumbs } from './parts.tsx';

export interface TextProps {
  lang: Lang;
  tr: Translator;
  path: string;
  base: string;
  pub: PublicItem;
  pages: Array<{ pageNo: number; text: string }>;
}

/** Every page's OCR text on one page: the cheapest way to read (no images at all). */
export function TextView(p: TextProps) {
  const { tr, pub } = p;
  const textLang = pub.item.metadata.language?.[0] === 'eng' ? 'en' : 'id';
  return (
    <CollectionPage
      lang={p.lang}
      tr={tr}
      title={`${tr('text_title', { title: pub.item.title })} — ${tr('site_name')}`}
      description={p.pages
        .map((x) => x.text)
        .join(' ')
        .replace(/\s+/g, ' ')
        .slice(0, 200)}
      path={p.path}
      headerSearch=""
      head={<link rel="canonical" href={`${p.base}${urls.text(pub.item.id)}`} />}
    >
      <Crumbs
        tr={tr}
        items={[
          { href: '/', label: tr('home_link') },
          { href: urls.item(pub.item.id), label: pub.item.title },
          { label: tr('text_view') },
        ]}
      />
      <h1>{tr('text_title', { title: pub.item.title })}</h1>
      <p class="muted">{tr('text_view_lead')}</p>
      {p.pages.map((pg) => (
        <section class="textpage" id={`p${pg.pageNo}`} aria-labelledby={`th${pg.pageNo}`}>
          <h2 id={`th${pg.pageNo}`}>
            <a href={urls.page(pub.item.id, pg.pageNo)}>{tr('page_n', { n: pg.pageNo })}</a>
          </h2>
          <PageText text={pg.text} lang={textLang} empty={tr('text_empty_page')} />
        </section>
      ))}
    </CollectionPage>
  );
}
