/**
 * Query latency of the embedded search index (SQLite FTS5) at growing collection sizes of
 * synthetic Indonesian-like pages (~250 words, 100 pages per item). The index is built through
 * the adapter's own upsertItem and kept in PINDAI_BENCH_SEARCH_DIR (default: a folder in the OS
 * temp dir), so later runs only measure. Sizes: PINDAI_BENCH_SEARCH_SIZES (default
 * 10000,100000,1000000). Each query runs three times: p50/p95 are over the second and third runs
 * (steady state), the first run's p95 is shown on its own (it may read the index from disk).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEmbeddedSearchIndex } from '../../search/embedded.search-index.ts';
import { rootKeys } from '../../search/indonesian-stem.ts';
import type { SearchIndex, SearchQuery } from '../../search/search-index.ts';
import { median, percentile } from './measure.ts';
import { replicateIndex } from './replicate-index.ts';
import { makePageText, makeVocabulary, rng, zipfSampler } from './synthetic-text.ts';

const PAGES_PER_ITEM = 100;
const WORDS_PER_PAGE = 250;
const VOCABULARY = 60_000;
const GENERATOR_VERSION = 3;

export interface KindLatency {
  kind: string;
  p50: number;
  p95: number;
  max: number;
  /** CPU time of this process per query (less sensitive to other load than wall time). */
  cpuP50: number;
  cpuP95: number;
  /** p95 of each query's first run (may read from disk). */
  firstP95: number;
  /** Median `total` reported, to show how broad the queries were. */
  medianTotal: number;
  /** Share of the queries whose counts were estimated. */
  estimatedShare: number;
}

export interface SizeLatency {
  pages: number;
  kinds: KindLatency[];
}

async function grow(index: SearchIndex, toPages: number, vocab: string[], log: (s: string) => void) {
  const { pages: have } = await index.countDocuments();
  const firstItem = Math.ceil(have / PAGES_PER_ITEM);
  const lastItem = Math.ceil(toPages / PAGES_PER_ITEM);
  if (firstItem >= lastItem) return;
  const t0 = performance.now();
  for (let i = firstItem; i < lastItem; i++) {
    // Each item's text depends only on its number, so a grown index equals one built at once.
    const r = rng(1000 + i);
    const sample = zipfSampler(vocab.length, r);
    const itemId = `bench-${String(i).padStart(7, '0')}`;
    await index.upsertItem(
      {
        itemId,
        nomorInduk: `${String(i).padStart(5, '0')}/AM/2026`,
        title: makePageText(vocab, sample, 3 + Math.floor(r() * 4)),
        creator: makePageText(vocab, sample, 2),
        year: 1900 + Math.floor(r() * 125),
        language: ['ind'],
        pageCount: PAGES_PER_ITEM,
        publishedAt: '2026-01-01T00:00:00.000Z',
      },
      Array.from({ length: PAGES_PER_ITEM }, (_, p) => ({
        itemId,
        page: p + 1,
        text: makePageText(vocab, sample, WORDS_PER_PAGE),
      })),
    );
    if ((i + 1) % 500 === 0)
      log(`  indexed ${(i + 1) * PAGES_PER_ITEM} pages (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  log(`  grew to ${lastItem * PAGES_PER_ITEM} pages in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

/** How a kind's queries are sent: as given, or as the public result list sends them. */
const ITEM_LIST: Omit<SearchQuery, 'q'> = {
  groupBy: 'item',
  snippets: 'best',
  // The public list also allows only public rights; bench items have none, so only this applies.
  filters: { excludeRights: ['staff-only'] },
};
const QUERY_OPTIONS: Record<string, Omit<SearchQuery, 'q'>> = {
  'common word, by item': ITEM_LIST,
  // The collection's home page and /cari without words: every item, newest first.
  'browse (no words), by item': { ...ITEM_LIST, browse: true },
};

function queries(vocab: string[]): Record<string, string[]> {
  const r = rng(42);
  const pick = (from: number, to: number) => vocab[from + Math.floor(r() * (to - from))] as string;
  const n = 25;
  const list = (f: () => string) => Array.from({ length: n }, f);
  return {
    'rare word': list(() => `${pick(20_000, 50_000)} `),
    'common word': list(() => `${pick(0, 10)} `),
    'two common words': list(() => `${pick(0, 20)} ${pick(0, 20)} `),
    'phrase (2 common)': list(() => `"${pick(0, 20)} ${pick(0, 20)}"`),
    'common + rare': list(() => `${pick(0, 10)} ${pick(20_000, 50_000)} `),
    'prefix (3 letters)': list(() => pick(0, 60).slice(0, 3)),
    'prefix (5 letters)': list(() => pick(0, 60).slice(0, 5)),
    // Spelling tolerance: a rare word of 6+ letters with one inner letter dropped (no hit as typed).
    'misspelt rare word': list(() => {
      let w = pick(20_000, 50_000);
      while (w.length < 6) w = pick(20_000, 50_000);
      const at = 1 + Math.floor(r() * (w.length - 2));
      return `${w.slice(0, at)}${w.slice(at + 1)} `;
    }),
    // Last, so the kinds above keep drawing the same words as before it was added.
    'common word, by item': list(() => `${pick(0, 10)} `),
    'browse (no words), by item': list(() => ''),
    // Word forms: the root of a common derived word (`pengembangan` → `kembang`), which finds
    // the pages of all its forms through the stem column.
    'root of common forms': list(() => {
      const forms = vocab.slice(0, 300).filter((w) => rootKeys(w).length > 1);
      const w = forms[Math.floor(r() * forms.length)] ?? 'pengembangan';
      return `${rootKeys(w).at(-1)} `;
    }),
  };
}

async function measure(index: SearchIndex, vocab: string[]): Promise<KindLatency[]> {
  const out: KindLatency[] = [];
  for (const [kind, qs] of Object.entries(queries(vocab))) {
    const times: number[] = [];
    const firstTimes: number[] = [];
    const cpu: number[] = [];
    const totals: number[] = [];
    let estimated = 0;
    for (const q of qs) {
      // The first run of a query may read its doclists from disk (a cold page cache, e.g. right
      // after the OCR benchmarks); it is reported on its own. p50/p95 are over the next two runs,
      // the steady state of a collection people search all day.
      for (let rep = 0; rep < 3; rep++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const res = await index.search({ q, limit: 20, ...QUERY_OPTIONS[kind] });
        const took = performance.now() - t0;
        const c = process.cpuUsage(c0);
        if (rep === 0) {
          firstTimes.push(took);
          totals.push(res.total);
          if (res.estimated) estimated++;
          continue;
        }
        times.push(took);
        cpu.push((c.user + c.system) / 1000);
      }
    }
    out.push({
      kind,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      max: Math.max(...times),
      cpuP50: percentile(cpu, 50),
      cpuP95: percentile(cpu, 95),
      firstP95: percentile(firstTimes, 95),
      medianTotal: median(totals),
      estimatedShare: estimated / qs.length,
    });
  }
  return out;
}

export async function runSearchBench(
  log: (s: string) => void = (s) => console.log(s),
): Promise<SizeLatency[]> {
  const sizes = (process.env.PINDAI_BENCH_SEARCH_SIZES ?? '10000,100000,1000000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  const dir = path.resolve(
    process.env.PINDAI_BENCH_SEARCH_DIR ?? path.join(os.tmpdir(), 'pindai-search-bench'),
  );
  fs.mkdirSync(dir, { recursive: true });
  const vocab = makeVocabulary(VOCABULARY);
  const results: SizeLatency[] = [];
  log(
    `\n== embedded search latency (SQLite FTS5), ${new Date().toISOString()}, load ${os.loadavg()[0]?.toFixed(2)}`,
  );
  log(`index files in ${dir} (reused between runs; delete to rebuild)`);
  let built: { size: number; file: string } | null = null;
  for (const size of sizes) {
    // One file per size: a 1M-page file must not slow the 10k measurement through cache misses.
    const file = path.join(dir, `v${GENERATOR_VERSION}-${size}.sqlite`);
    // Sizes ≥ 10× a built one are copies of it: generating 1M pages through the adapter takes
    // most of an hour on a busy 2-core machine; copying takes minutes and keeps term statistics.
    if (!fs.existsSync(file) && built && size % built.size === 0 && size / built.size >= 10) {
      log(`  building ${size} pages as ${size / built.size} copies of the ${built.size}-page index`);
      replicateIndex(built.file, file, size / built.size, log);
    }
    const index = createEmbeddedSearchIndex(file);
    try {
      await grow(index, size, vocab, log);
      const bytes = fs.statSync(file).size;
      // Warm the page cache the way a running service would be.
      await index.search({ q: 'yang', limit: 20 });
      const kinds = await measure(index, vocab);
      results.push({ pages: size, kinds });
      built = { size, file };
      log(`\n${size.toLocaleString('en')} pages (${(bytes / 1024 ** 2).toFixed(0)} MB):`);
      console.table(
        kinds.map((k) => ({
          query: k.kind,
          'p50 ms': k.p50.toFixed(1),
          'p95 ms': k.p95.toFixed(1),
          'max ms': k.max.toFixed(1),
          'cpu p50 ms': k.cpuP50.toFixed(1),
          'cpu p95 ms': k.cpuP95.toFixed(1),
          'first run p95 ms': k.firstP95.toFixed(1),
          'median total': k.medianTotal,
          estimated: `${Math.round(k.estimatedShare * 100)}%`,
        })),
      );
    } finally {
      await index.close();
    }
  }
  log('\np95 growth (ms) by query kind:');
  console.table(
    (results[0]?.kinds ?? []).map((k, i) => ({
      query: k.kind,
      ...Object.fromEntries(
        results.map((r) => [`${r.pages.toLocaleString('en')} pages`, r.kinds[i]?.p95.toFixed(1)]),
      ),
    })),
  );
  return results;
}
