/** `npm run bench:relevance -- <dataDir>`: the relevance check on a data folder that holds the ingested corpus. */
import path from 'node:path';
import { loadConfig } from '../../core/config.ts';
import { sameRoot, snowballStemId } from '../../search/indonesian-stem.ts';
import {
  DISTINCT_WORDS,
  HELD_OUT_DISTINCT,
  HELD_OUT_FAMILIES,
  WORD_FAMILIES,
} from '../../search/indonesian-word-forms.ts';
import { measureConflation, pairsOf } from '../../search/word-forms.ts';
import { openCatalog } from '../open-catalog.ts';
import { measureRelevance } from './relevance.ts';

// Word forms first: needs no data, only the labelled lists (search/indonesian-word-forms.ts).
const forms = [
  ['development list', pairsOf(WORD_FAMILIES, DISTINCT_WORDS)],
  ['held-out list', pairsOf(HELD_OUT_FAMILIES, HELD_OUT_DISTINCT)],
] as const;
console.log(
  'Indonesian word forms: precision / recall of "same word" (pairs of root and form, and look-alikes)',
);
console.log('| list             | pairs | Snowball P | Snowball R | candidates P | candidates R |');
console.log('|------------------|-------|------------|------------|--------------|--------------|');
for (const [name, pairs] of forms) {
  const a = measureConflation((x, y) => snowballStemId(x) === snowballStemId(y), pairs);
  const b = measureConflation(sameRoot, pairs);
  const f = (n: number) => n.toFixed(3).padStart(5);
  console.log(
    `| ${name.padEnd(16)} | ${String(pairs.length).padStart(5)} | ${f(a.precision).padStart(10)} | ${f(a.recall).padStart(10)} | ${f(b.precision).padStart(12)} | ${f(b.recall).padStart(12)} |`,
  );
  for (const m of b.missed) console.log(`    missed: ${m.a} / ${m.b}`);
  for (const w of b.wrong) console.log(`    wrongly joined: ${w.a} / ${w.b}`);
}
console.log('');

const dataDir = process.argv[2] ?? './data';
const corpus = path.resolve(process.env.PINDAI_BENCH_CORPUS ?? '../shared/corpus');
const cat = await openCatalog(loadConfig(process.env, { dataDir }));
const r = await measureRelevance(corpus, cat.register, cat.index);
await cat.close();
console.log(
  `${r.phrases} phrases: source page first ${r.exact}, same phrase on another page first ${r.samePhraseElsewhere}, missed ${r.misses.length}`,
);
for (const m of r.misses) console.log(`  missed: ${m}`);
process.exitCode = r.misses.length ? 1 : 0;
