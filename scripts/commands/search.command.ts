import type { Config } from '../../core/config.ts';
import { openCatalog } from '../open-catalog.ts';

/** `pindai search "<query>"`: page-level hits, best first. */
export async function searchCommand(
  config: Config,
  q: string,
  opts: { json: boolean; limit: number },
): Promise<void> {
  const cat = await openCatalog(config);
  try {
    const r = await cat.index.search({ q, limit: opts.limit });
    const hits = r.hits.map((h) => ({
      itemId: h.itemId,
      nomorInduk: h.nomorInduk,
      title: h.title,
      page: h.page,
      snippet: h.snippet,
    }));
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify({ total: r.total, estimated: r.estimated === true, hits }, null, 2)}\n`,
      );
      return;
    }
    const about = r.estimated ? 'sekitar ' : '';
    process.stdout.write(`${about}${r.total} halaman cocok (${r.tookMs.toFixed(1)} ms)\n`);
    for (const h of hits) {
      const snippet = h.snippet.replace(/<mark>/g, '\x1b[1m').replace(/<\/mark>/g, '\x1b[0m');
      process.stdout.write(`${h.nomorInduk}  hlm ${h.page ?? '-'}  ${h.title}\n    ${snippet}\n`);
    }
  } finally {
    await cat.close();
  }
}
