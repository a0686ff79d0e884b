import type { Translator } from '../../../core/messages.ts';
import type { ItemMetadata } from '../../../core/metadata.schema.ts';

type Field = {
  name: keyof ItemMetadata;
  label: Parameters<Translator>[0];
  list?: boolean;
  wide?: boolean;
  area?: boolean;
  type?: string;
};

const FIELDS: Field[] = [
  { name: 'title', label: 'st_meta_title', wide: true },
  { name: 'creator', label: 'st_meta_creator', list: true },
  { name: 'publisher', label: 'st_meta_publisher' },
  { name: 'place', label: 'st_meta_place' },
  { name: 'year', label: 'st_meta_year', type: 'number' },
  { name: 'sourceNomorInduk', label: 'st_meta_source_nomor' },
  { name: 'collection', label: 'st_meta_collection' },
  { name: 'type', label: 'st_meta_type' },
  { name: 'callNumber', label: 'st_meta_call' },
  { name: 'subjects', label: 'st_meta_subjects', list: true, wide: true },
  { name: 'description', label: 'st_meta_description', wide: true, area: true },
];

/** Metadata keys the form edits (the rest of an item's metadata is left as it is). */
export const METADATA_FORM_KEYS = [...FIELDS.map((f) => f.name), 'rights'] as const;

/** Form fields → sidecar-shaped metadata (empty fields left out; lists split on `;`). */
export function metadataFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
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
}: {
  tr: Translator;
  values?: ItemMetadata & { title?: string };
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
          {f.area ? (
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
