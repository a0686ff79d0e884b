/** `npm run bench:relevance -- <dataDir>`: the relevance check on a data folder that holds the ingested corpus. */
import path from 'node:path';
import { loadConfig } from '../../core/config.ts';
import { openCatalog } from '../open-catalog.ts';
import { measureRelevance } from './relevance.ts';

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
