import type { ItemFlag } from '../core/item.types.ts';
import { type ItemMetadata, parseMetadata } from '../core/metadata.schema.ts';
import { readBatchFile } from './batch-scan.ts';
import { METADATA_FILE } from './ignore-rules.ts';

export async function readMetadata(
  dir: string,
  present: boolean,
  given: Record<string, unknown> | undefined,
): Promise<{ metadata: ItemMetadata; flags: ItemFlag[] }> {
  const flags: ItemFlag[] = [];
  let raw: Record<string, unknown> = {};
  if (present) {
    try {
      raw = JSON.parse((await readBatchFile(dir, METADATA_FILE, 1024 * 1024)).toString('utf8')) as Record<
        string,
        unknown
      >;
    } catch (err) {
      flags.push({ code: 'metadata_invalid', params: { detail: (err as Error).message } });
    }
  }
  const parsed = parseMetadata({ ...raw, ...(given ?? {}) });
  if (parsed.problems.length > 0 && Object.keys(raw).length + Object.keys(given ?? {}).length > 0) {
    flags.push({ code: 'metadata_invalid', params: { detail: parsed.problems.join('; ') } });
  }
  if (!present && !given) flags.push({ code: 'metadata_missing' });
  return { metadata: parsed.metadata, flags };
}
