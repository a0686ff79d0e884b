/** `npm run bench:search`: the embedded search latency table on its own. */
import { runSearchBench } from './search-latency.ts';

await runSearchBench();
