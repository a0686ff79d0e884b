/**
 * Search relevance on the sample corpus: for phrases taken from each page's ground truth, is the
 * page they were taken from the first hit? The corpus reuses paragraphs across batches, so a
 * first hit on another page that holds the same phrase is counted apart ("same phrase
 * elsewhere"), not as a miss. `npm run bench:relevance [dataDir]` after an ingest of the corpus;
 * the main bench calls `measureRelevance` on its own data.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Register } from '../../core/register/register.ts';
import type { SearchIndex } from '../../search/search-index.ts';

export interface RelevanceReport {
  phrases: number;
  exact: number;
  samePhraseElsewhere: number;
  misses: string[];
}

const norm = (s: string) =>
  s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Phrases of `words` words at fixed fractions of every ground-truth page, searched in quotes. */
export async function measureRelevance(
  corpusDir: string,
  register: Register,
  index: SearchIndex,
  opts: { words?: number; at?: number[] } = {},
): Promise<RelevanceReport> {
  const words = opts.words ?? 4;
  const at = opts.at ?? [0.3, 0.6];
  const pageText = new Map<string, string>();
  const items = await register.items.list({ status: 'available' });
  const itemOfBatch = new Map(items.map((i) => [path.basename(i.sourcePath), i.id]));
  for (const batch of fs.readdirSync(corpusDir)) {
    const gtDir = path.join(corpusDir, batch, 'gt');
    const itemId = itemOfBatch.get(batch);
    if (!itemId || !fs.existsSync(gtDir)) continue;
    for (const f of fs.readdirSync(gtDir).filter((n) => /^page-\d+\.txt$/.test(n))) {
      const page = Number(/(\d+)/.exec(f)?.[1]);
      pageText.set(`${itemId}#${page}`, norm(fs.readFileSync(path.join(gtDir, f), 'utf8')));
    }
  }
  const report: RelevanceReport = { phrases: 0, exact: 0, samePhraseElsewhere: 0, misses: [] };
  for (const [key, text] of pageText) {
    const tokens = text.split(' ');
    for (const frac of at) {
      const start = Math.floor(tokens.length * frac);
      const phrase = tokens.slice(start, start + words).join(' ');
      if (phrase.split(' ').length < words) continue;
      report.phrases++;
      const top = (await index.search({ q: `"${phrase}"`, limit: 1 })).hits[0];
      const topKey = top ? `${top.itemId}#${top.page}` : '';
      if (topKey === key) report.exact++;
      else if (pageText.get(topKey)?.includes(phrase)) report.samePhraseElsewhere++;
      else report.misses.push(`${key} "${phrase}" → ${topKey || 'nothing'}`);
    }
  }
  return report;
}
