/**
 * Meilisearch document ids allow only [A-Za-z0-9_-] (at most 511 bytes); item ids and nomor
 * induk values may hold `/`, `.`, spaces or any Unicode. The mapping below is injective and
 * reversible: letters, digits and `-` stay, every other UTF-8 byte (including `_` itself)
 * becomes `_` + two lowercase hex digits. An encoded key therefore never contains `__`, which
 * is what the document suffixes use.
 */

const KEPT = /[A-Za-z0-9-]/;

export function toMeiliKey(id: string): string {
  let out = '';
  for (const ch of id) {
    if (KEPT.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `_${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export function fromMeiliKey(key: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < key.length; i++) {
    if (key[i] === '_') {
      bytes.push(Number.parseInt(key.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(key.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Id of an item's metadata document. */
export function metaDocId(itemKey: string): string {
  return `${itemKey}__m`;
}

/** Id of one page's document. */
export function pageDocId(itemKey: string, page: number): string {
  return `${itemKey}__p${page}`;
}

/** A string literal for Meilisearch's filter syntax (double quotes, backslash escapes). */
export function filterString(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** `field IN ["a", "b"]` */
export function filterIn(field: string, values: string[]): string {
  return `${field} IN [${values.map(filterString).join(', ')}]`;
}
