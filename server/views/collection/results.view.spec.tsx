import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { translator } from '../../../core/messages.ts';
import { MAX_RESULT_WINDOW } from '../../../search/search-index.ts';
import type { ItemSearchParams, ItemSearchResult } from '../../collection/collection-search.ts';
import { ResultsView } from './results.view.tsx';

const params: ItemSearchParams = { q: 'dan', sort: 'relevance', page: 1, perPage: 20 };
const result = (totalItems: number, estimated: boolean): ItemSearchResult => ({
  items: [],
  totalItems,
  estimated,
  facets: { type: { buku: 412_345 }, year: {}, language: {}, collection: {} },
  corrections: [],
  tookMs: 1,
});
const render = (lang: 'id' | 'en', r: ItemSearchResult, page = 1) =>
  renderToString(
    <ResultsView
      lang={lang}
      tr={translator(lang)}
      path="/cari"
      params={{ ...params, page }}
      result={r}
      thumbs={new Map()}
    />,
  );
const pagerLinks = (html: string) => [...html.matchAll(/hal=(\d+)/g)].map((m) => Number(m[1]));

describe('result list counts', () => {
  it('says "about" with a rounded number when the count is an estimate', () => {
    const id = render('id', result(483_217, true));
    expect(id).toContain('sekitar 480.000 item ditemukan');
    expect(id).toContain('(sekitar 410.000)');
    expect(id).not.toContain('483.217');
    expect(render('en', result(483_217, true))).toContain('about 480,000 items found');
  });

  it('shows exact counts as they are', () => {
    const html = render('id', result(1_234, false));
    expect(html).toContain('1.234 item ditemukan');
    expect(html).not.toContain('sekitar');
  });

  it('offers no result page beyond the result window', () => {
    const last = MAX_RESULT_WINDOW / params.perPage;
    expect(Math.max(...pagerLinks(render('id', result(483_217, true))))).toBe(last);
    expect(Math.max(...pagerLinks(render('id', result(483_217, true), last)))).toBe(last - 1);
    expect(Math.max(...pagerLinks(render('id', result(45, false))))).toBe(3);
  });
});

describe('how the words were read', () => {
  it('says which spelling was searched after a correction, and the modern spelling of old words', () => {
    const corrected = renderToString(
      <ResultsView
        lang="id"
        tr={translator('id')}
        path="/cari"
        params={{ ...params, q: 'pustka Soerabaja' }}
        result={{ ...result(3, false), corrections: [{ from: 'pustka', to: 'pustaka' }] }}
        thumbs={new Map()}
      />,
    );
    expect(corrected).toContain('Menampilkan hasil untuk');
    expect(corrected).toContain('<strong>pustaka soerabaja</strong>');
    expect(corrected).toContain('Tidak ada hasil untuk “pustka Soerabaja”');
    expect(corrected).toContain('Juga dicari dalam ejaan baru: <strong>surabaya</strong>');
    expect(render('id', result(3, false))).not.toContain('Menampilkan hasil untuk');
  });
});
