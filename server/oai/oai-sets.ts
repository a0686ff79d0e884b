import type { Item } from '../../core/item.types.ts';
import type { HarvestQuery, HarvestSetValues } from '../../core/register/harvest.queries.ts';

/**
 * OAI sets: one per collection and one per type of material, from the item's metadata
 * (`collection:koleksi-lokal`, `type:buku`), under the parents `collection` and `type`. A set's spec
 * is its value slugged, so values that differ only in case or accents ("Koleksi Lokal",
 * "koleksi lokal") are one set.
 */
export const SET_FIELDS = ['collection', 'type'] as const;
export type SetField = (typeof SET_FIELDS)[number];

/** Lower-case ASCII letters and digits joined by hyphens ("Naskah Kuno (Jawi)" → "naskah-kuno-jawi"). */
export function slugOf(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The sets an item is in (a value with nothing left after slugging puts it in none). */
export function setSpecsOf(item: Pick<Item, 'metadata'>): string[] {
  const specs: string[] = [];
  for (const field of SET_FIELDS) {
    const v = item.metadata[field];
    const slug = typeof v === 'string' ? slugOf(v) : '';
    if (slug) specs.push(`${field}:${slug}`);
  }
  return specs;
}

export interface OaiSet {
  spec: string;
  name: string;
}

/** Every set: the two parents (named by `parentName`), then one per distinct slug of each field. */
export function setsOf(values: HarvestSetValues, parentName: (field: SetField) => string): OaiSet[] {
  const sets: OaiSet[] = [];
  for (const field of SET_FIELDS) {
    const bySlug = new Map<string, string>();
    for (const v of field === 'collection' ? values.collections : values.types) {
      const slug = slugOf(v);
      if (slug && !bySlug.has(slug)) bySlug.set(slug, v);
    }
    if (bySlug.size === 0) continue;
    sets.push({ spec: field, name: parentName(field) });
    for (const [slug, name] of [...bySlug].sort(([a], [b]) => a.localeCompare(b)))
      sets.push({ spec: `${field}:${slug}`, name });
  }
  return sets;
}

/**
 * The register filter for a set spec: the exact stored values whose slug it names (a parent: every
 * value of its field). Null when the spec names no set of this repository.
 */
export function filterOfSet(
  spec: string,
  values: HarvestSetValues,
): Pick<HarvestQuery, 'collections' | 'types'> | null {
  const [field, slug, ...more] = spec.split(':');
  if (more.length > 0 || (field !== 'collection' && field !== 'type')) return null;
  const all = field === 'collection' ? values.collections : values.types;
  const matching = slug === undefined ? all : all.filter((v) => slugOf(v) === slug);
  if (matching.length === 0) return null;
  return field === 'collection'
    ? { collections: matching, types: null }
    : { collections: null, types: matching };
}
