import type { ComponentChildren } from 'preact';
import type { Lang, Translator } from '../../../core/messages.ts';
import { CollectionPage } from './parts.tsx';

export interface AboutProps {
  lang: Lang;
  tr: Translator;
  path: string;
  /** The library's own text (PINDAI_LIBRARY_ABOUT); undefined: the default text in `lang`. */
  text?: string;
}

type Block = { kind: 'h2' | 'h3' | 'p'; text: string } | { kind: 'ul'; items: string[] };

/**
 * The about text's few conventions: blank lines between paragraphs, "# " and "## " headings,
 * "- " or "* " list items. Everything else is text, rendered escaped (never as HTML).
 */
export function aboutBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    let para: string[] = [];
    let list: string[] | null = null;
    const flush = () => {
      if (para.length) blocks.push({ kind: 'p', text: para.join(' ') });
      if (list) blocks.push({ kind: 'ul', items: list });
      para = [];
      list = null;
    };
    for (const line of lines) {
      const heading = /^(#{1,2})\s+(.*)$/.exec(line);
      const item = /^[-*]\s+(.*)$/.exec(line);
      if (heading) {
        flush();
        blocks.push({ kind: heading[1] === '#' ? 'h2' : 'h3', text: heading[2] as string });
      } else if (item) {
        if (para.length) flush();
        list = [...(list ?? []), item[1] as string];
      } else {
        if (list) flush();
        para.push(line);
      }
    }
    flush();
  }
  return blocks;
}

/** Web addresses in the text become links (text only: the address is shown as written). */
function Linked(p: { text: string }): ComponentChildren {
  return p.text
    .split(/(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/g)
    .map((part, i) => (i % 2 === 1 ? <a href={part}>{part}</a> : part));
}

export function AboutView(p: AboutProps) {
  const { tr } = p;
  const name = tr('site_name');
  const text = p.text ?? tr('about_default');
  const title = tr('about_title', { name });
  return (
    <CollectionPage lang={p.lang} tr={tr} title={title} path={p.path} headerSearch="">
      <h1>{title}</h1>
      {aboutBlocks(text).map((b) =>
        b.kind === 'ul' ? (
          <ul>
            {b.items.map((t) => (
              <li>
                <Linked text={t} />
              </li>
            ))}
          </ul>
        ) : b.kind === 'h2' ? (
          <h2>{b.text}</h2>
        ) : b.kind === 'h3' ? (
          <h3>{b.text}</h3>
        ) : (
          <p>
            <Linked text={b.text} />
          </p>
        ),
      )}
    </CollectionPage>
  );
}
