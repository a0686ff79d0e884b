import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { Item, Page } from '../../../core/item.types.ts';
import { translator } from '../../../core/messages.ts';
import type { PublicItem } from '../../collection/public-item.ts';
import { THUMB_WINDOW, ThumbStrip } from './item.view.tsx';

const pages = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => ({ pageNo: i + 1, width: 1240, height: 1500, cleanWidth: 1240, cleanHeight: 1500 }) as Page,
  );
const pub = { item: { id: 'abc123def' } as Item, access: 'open', canDownload: true } as PublicItem;
const shown = (html: string) => [...html.matchAll(/halaman\/(\d+)"[^>]*><img/g)].map((m) => Number(m[1]));

describe('ThumbStrip', () => {
  const tr = translator('id');

  it('shows every page of a short item and no page navigation', () => {
    const html = renderToString(<ThumbStrip tr={tr} pub={pub} pages={pages(3)} />);
    expect(shown(html)).toEqual([1, 2, 3]);
    expect(html).not.toContain('strip-nav');
  });

  it('shows a window of thumbnails around the current page of a long book', () => {
    const html = renderToString(<ThumbStrip tr={tr} pub={pub} pages={pages(500)} current={250} />);
    const nums = shown(html);
    expect(nums).toHaveLength(THUMB_WINDOW);
    expect(nums).toContain(250);
    expect(html).toContain('strip-nav');
    expect(shown(renderToString(<ThumbStrip tr={tr} pub={pub} pages={pages(500)} />))[0]).toBe(1);
    expect(
      shown(renderToString(<ThumbStrip tr={tr} pub={pub} pages={pages(500)} current={500} />)).at(-1),
    ).toBe(500);
  });

  it('marks the pages with hits, for the eye and for screen readers', () => {
    const html = renderToString(<ThumbStrip tr={tr} pub={pub} pages={pages(4)} hits={[2, 4]} q="kota" />);
    const marked = [...html.matchAll(/<li class="has-hits"><a href="[^"]*halaman\/(\d+)\?q=kota"/g)].map(
      (m) => Number(m[1]),
    );
    expect(marked).toEqual([2, 4]);
    expect(html.match(/ada hasil/g)).toHaveLength(2);
    expect(
      renderToString(<ThumbStrip tr={translator('en')} pub={pub} pages={pages(4)} hits={[3]} />),
    ).toContain('has results');
  });
});
