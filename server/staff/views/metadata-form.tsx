import { DEFAULT_ITEM_LISTS, type ItemLists } from '../../../core/item-lists.ts';
import { LANGUAGES, languageLabel } from '../../../core/languages.ts';
import type { Lang, Translator } from '../../../core/messages.ts';
import type { ItemMetadata } from '../../../core/metadata.schema.ts';

type Field = {
  name: keyof ItemMetadata;
  label: Parameters<Translator>[0];
  list?: boolean;
  wide?: boolean;
  area?: boolean;
  type?: string;
  /** One value from an admin-edited list (core/item-lists.ts). */
  choice?: keyof ItemLists;
  /** Several ISO 639 codes from core/languages.ts. */
  languages?: boolean;
};

const FIELDS: Field[] = [
  { name: 'title', label: 'st_meta_title', wide: true },
  { name: 'creator', label: 'st_meta_creator', list: true },
  { name: 'publisher', label: 'st_meta_publisher' },
  { name: 'place', label: 'st_meta_place' },
  { name: 'year', label: 'st_meta_year', type: 'number' },
  { name: 'edition', label: 'st_meta_edition' },
  { name: 'isbn', label: 'st_meta_isbn' },
  { name: 'sourceNomorInduk', label: 'st_meta_source_nomor' },
  { name: 'collection', label: 'st_meta_collection', choice: 'collections' },
  { name: 'type', label: 'st_meta_type', choice: 'types' },
  { name: 'callNumber', label: 'st_meta_call' },
  { name: 'language', label: 'st_meta_language', languages: true },
  { name: 'subjects', label: 'st_meta_subjects', list: true, wide: true },
  { name: 'description', label: 'st_meta_description', wide: true, area: true },
];

/** Metadata keys the form edits (the rest of an item's metadata is left as it is). */
export const METADATA_FORM_KEYS = [...FIELDS.map((f) => f.name), 'rights'] as const;

/** Form fields → sidecar-shaped metadata (empty fields left out; lists split on `;`). */
export function metadataFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    if (f.languages) {
      const given = body[f.name];
      const codes = (Array.isArray(given) ? given : [given]).filter(
        (c): c is string => typeof c === 'string' && c !== '',
      );
      if (codes.length) out[f.name] = codes;
      continue;
    }
    const v = typeof body[f.name] === 'string' ? (body[f.name] as string).trim() : '';
    if (!v) continue;
    out[f.name] = f.list
      ? v
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean)
      : v;
  }
  const rights = typeof body.rights === 'string' ? body.rights : '';
  if (rights) out.rights = rights;
  return out;
}

/** The metadata inputs, shared by the upload form and the item editor. */
export function MetadataFields({
  tr,
  values = {},
  upload = false,
  lists = DEFAULT_ITEM_LISTS,
  lang = 'id',
}: {
  tr: Translator;
  values?: ItemMetadata & { title?: string };
  lists?: ItemLists;
  lang?: Lang;
  /** The upload form: rights default to the batch's metadata.json or the library's default. */
  upload?: boolean;
}) {
  const fieldValue = (f: Field): string => {
    const v = values[f.name];
    if (v === undefined) return '';
    return Array.isArray(v) ? v.join('; ') : String(v);
  };
  return (
    <>
      {FIELDS.map((f) => (
        <label class={f.wide ? 'wide' : undefined} for={`m-${f.name}`}>
          {tr(f.label)}
          {f.languages ? (
            <>
              <select id={`m-${f.name}`} name={f.name} multiple size={4}>
                {[
                  ...LANGUAGES.map((l) => l.code),
                  ...(values.language ?? []).filter((c) => !LANGUAGES.some((l) => l.code === c)),
                ].map((code) => (
                  <option value={code} selected={(values.language ?? []).includes(code)}>
                    {languageLabel(lang, code)}
                  </option>
                ))}
              </select>
              <span class="muted">{tr('st_meta_language_hint')}</span>
            </>
          ) : f.choice ? (
            <select id={`m-${f.name}`} name={f.name}>
              <option value="">{tr('st_meta_choose')}</option>
              {fieldValue(f) && !lists[f.choice].includes(fieldValue(f)) ? (
                <option value={fieldValue(f)} selected>
                  {tr('st_meta_not_in_list', { value: fieldValue(f) })}
                </option>
              ) : null}
              {lists[f.choice].map((v) => (
                <option value={v} selected={fieldValue(f) === v}>
                  {v}
                </option>
              ))}
            </select>
          ) : f.area ? (
            <textarea id={`m-${f.name}`} name={f.name} maxLength={5000}>
              {fieldValue(f)}
            </textarea>
          ) : (
            <input
              id={`m-${f.name}`}
              name={f.name}
              type={f.type ?? 'text'}
              value={fieldValue(f)}
              maxLength={500}
            />
          )}
        </label>
      ))}
      <label>
        {tr('st_meta_rights')}
        <select name="rights">
          {upload ? <option value="">{tr('st_rights_from_batch')}</option> : null}
          {(
            [
              ['open', 'st_rights_open'],
              ['read-online', 'st_rights_read'],
              ['staff-only', 'st_rights_staff'],
              ['review', 'st_rights_review'],
            ] as const
          ).map(([v, label]) => (
            <option value={v} selected={!upload && (values.rights ?? 'review') === v}>
              {tr(label)}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
