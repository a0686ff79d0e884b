/**
 * IIIF Presentation 3 Collections: every public item (`/iiif/collection`) and the public items of
 * one collection (`/iiif/collection/<name>`, the metadata `collection` value). A Collection of
 * more than PART_SIZE manifests lists parts instead (Collections of at most PART_SIZE manifests
 * each, `?part=n`), so neither a viewer nor the server handles one huge answer.
 */
import type { InternationalString, Manifest } from '@iiif/presentation-3';
import type { Register } from '../../core/register/register.ts';
import { both, collectionId, libraryLabel, manifestId, none, providerOf } from './iiif-manifest.ts';
import { publicAccess } from './public-item.ts';

export const PART_SIZE = 1000;
const SCAN_CHUNK = 500;

export interface CollectionEntry {
  id: string;
  title: string;
}

/**
 * The public items (same gate as every public page: available, open or read-online), in the
 * register's order (oldest first, so parts stay put as items are added), optionally of one collection.
 */
export async function publicEntries(register: Register, collection?: string): Promise<CollectionEntry[]> {
  const out: CollectionEntry[] = [];
  for (let offset = 0; ; offset += SCAN_CHUNK) {
    const chunk = await register.items.list({ status: 'available', limit: SCAN_CHUNK, offset });
    for (const item of chunk)
      if (publicAccess(item) && (collection === undefined || item.metadata.collection === collection))
        out.push({ id: item.id, title: item.title });
    if (chunk.length < SCAN_CHUNK) return out;
  }
}

interface Reference {
  id: string;
  type: 'Manifest' | 'Collection';
  label: InternationalString;
}

/**
 * A Collection as served: its items are references (id, type, label), which the
 * @iiif/presentation-3 types model only as embedded resources.
 */
export interface IiifCollection {
  '@context': 'http://iiif.io/api/presentation/3/context.json';
  id: string;
  type: 'Collection';
  label: InternationalString;
  requiredStatement: NonNullable<Manifest['requiredStatement']>;
  provider: Manifest['provider'];
  partOf?: Reference[];
  items: Reference[];
}

export interface CollectionScope {
  /** The collection's name; absent: all public items. */
  name?: string;
  libraryName?: string;
}

/** The Collection (or one part of it, `part` ≥ 1), or null when that part does not exist. */
export function buildCollection(
  base: string,
  scope: CollectionScope,
  entries: readonly CollectionEntry[],
  part?: number,
  partSize = PART_SIZE,
): IiifCollection | null {
  const parts = Math.max(1, Math.ceil(entries.length / partSize));
  const label: InternationalString = scope.name === undefined ? both('iiif_all_items') : none(scope.name);
  const partLabel = (n: number): InternationalString =>
    scope.name === undefined
      ? both('iiif_all_items_part', { n })
      : both('iiif_collection_part', { name: scope.name, n });
  const head = {
    '@context': 'http://iiif.io/api/presentation/3/context.json' as const,
    type: 'Collection' as const,
    requiredStatement: { label: both('meta_provider'), value: libraryLabel(scope.libraryName) },
    provider: providerOf(base, scope.libraryName),
  };
  const manifests = (from: number) =>
    entries
      .slice(from, from + partSize)
      .map((e) => ({ id: manifestId(base, e.id), type: 'Manifest' as const, label: none(e.title) }));
  if (part === undefined) {
    if (parts === 1) return { ...head, id: collectionId(base, scope.name), label, items: manifests(0) };
    return {
      ...head,
      id: collectionId(base, scope.name),
      label,
      items: Array.from({ length: parts }, (_, i) => ({
        id: collectionId(base, scope.name, i + 1),
        type: 'Collection' as const,
        label: partLabel(i + 1),
      })),
    };
  }
  if (!Number.isInteger(part) || part < 1 || part > parts) return null;
  return {
    ...head,
    id: collectionId(base, scope.name, part),
    label: parts === 1 ? label : partLabel(part),
    partOf: [{ id: collectionId(base, scope.name), type: 'Collection', label }],
    items: manifests((part - 1) * partSize),
  };
}
