import type { CatalogKeyKind, CatalogRecord } from '../../core/catalog.types.ts';
import type { ItemFlag } from '../../core/item.types.ts';
import { type ItemMetadata, parseMetadata } from '../../core/metadata.schema.ts';
import type { Register } from '../../core/register/register.ts';

/** The batch's keys tried in order, and the catalogue key each is looked up as. */
const KEYS: readonly [keyof ItemMetadata & ('sourceNomorInduk' | 'barcode' | 'isbn'), CatalogKeyKind][] = [
  ['sourceNomorInduk', 'nomorInduk'],
  ['barcode', 'barcode'],
  ['isbn', 'isbn'],
];

/** The key as a reader knows it (the same words in Bahasa Indonesia and English). */
const LABEL = { sourceNomorInduk: 'nomor induk', barcode: 'barcode', isbn: 'ISBN' } as const;

/**
 * The item metadata a catalogue record gives, checked by the sidecar's own schema (a field the
 * schema refuses, such as a 600-character title, is left out). Never `rights`: a catalogue record
 * says nothing about who may read the scan, so access stays as intake decided it (fail closed).
 */
export function metadataOfRecord(r: CatalogRecord): ItemMetadata {
  const parsed = parseMetadata({
    title: r.title,
    ...(r.creators.length && { creator: r.creators }),
    ...(r.publisher && { publisher: r.publisher }),
    ...(r.place && { place: r.place }),
    ...(r.year !== null && { year: r.year }),
    ...(r.edition && { edition: r.edition }),
    ...(r.language.length && { language: r.language }),
    ...(r.subjects.length && { subjects: r.subjects }),
    ...(r.callNumber && { callNumber: r.callNumber }),
    ...(r.isbn[0] && { isbn: r.isbn[0] }),
  });
  return parsed.metadata;
}

/**
 * Fill the fields `metadata` leaves empty from `record` (what the batch or staff gave wins) and
 * note which record was used. Access (`rights`) is never taken from the record.
 */
export function fillFromRecord(metadata: ItemMetadata, record: CatalogRecord): ItemMetadata {
  const { rights: _never, ...fromRecord } = metadataOfRecord(record);
  const out: Record<string, unknown> = { ...metadata };
  for (const [k, v] of Object.entries(fromRecord)) if (out[k] === undefined) out[k] = v;
  return { ...(out as ItemMetadata), catalogRecord: record.id, rights: metadata.rights };
}

/**
 * Intake's catalogue lookup: a batch that names its source nomor induk, barcode or ISBN gets the
 * empty fields of its metadata from the one catalogue record with that key (tried in that order).
 * No match is not fatal: the item is registered as it is, and when the batch relied on the
 * catalogue (it has no title of its own) and the library has imported one, a flag tells staff to
 * link the record by hand. A key naming several records is flagged and not used.
 */
export async function completeFromCatalog(
  catalog: Pick<Register['catalog'], 'find' | 'count'>,
  metadata: ItemMetadata,
): Promise<{ metadata: ItemMetadata; flags: ItemFlag[] }> {
  const given = KEYS.filter(([field]) => metadata[field]);
  if (given.length === 0) return { metadata, flags: [] };
  const flags: ItemFlag[] = [];
  for (const [field, kind] of given) {
    const value = metadata[field] as string;
    const found = await catalog.find(kind, value);
    if (found.length === 1) return { metadata: fillFromRecord(metadata, found[0] as CatalogRecord), flags };
    if (found.length > 1)
      flags.push({
        code: 'catalog_record_ambiguous',
        params: { key: LABEL[field], value, count: found.length },
      });
  }
  if (flags.length === 0 && metadata.title === undefined && (await catalog.count()) > 0) {
    const [field] = given[0] as (typeof KEYS)[number];
    flags.push({
      code: 'catalog_record_missing',
      params: { key: LABEL[field], value: metadata[field] as string },
    });
  }
  return { metadata, flags };
}
