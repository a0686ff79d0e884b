import type { Lang, Translator } from '../../../core/messages.ts';
import { CollectionPage } from './parts.tsx';

export function MessageView(p: { lang: Lang; tr: Translator; path: string; title: string; body: string }) {
  return (
    <CollectionPage
      lang={p.lang}
      tr={p.tr}
      title={`${p.title} — ${p.tr('site_name')}`}
      path={p.path}
      headerSearch=""
      head={<meta name="robots" content="noindex" />}
    >
      <h1>{p.title}</h1>
      <p>{p.body}</p>
      <p>
        <a href="/">{p.tr('home_link')}</a>
      </p>
    </CollectionPage>
  );
}
