import { z } from 'zod';
import { rightsUri } from './rights-uri.ts';

/**
 * Access levels, from each item's rights. `review`: held for review — processed like any item but
 * invisible to the public until staff choose one of the others.
 */
export const ACCESS_LEVELS = ['open', 'read-online', 'staff-only', 'review'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
/** The levels the public may see. Everything else (staff-only, review, unknown) is invisible. */
export const PUBLIC_ACCESS = ['open', 'read-online'] as const;
export type PublicAccess = (typeof PUBLIC_ACCESS)[number];

const accessAliases: Record<string, AccessLevel> = {
  open: 'open',
  terbuka: 'open',
  'read-online': 'read-online',
  'read-online-only': 'read-online',
  'baca-online': 'read-online',
  'baca-di-tempat': 'read-online',
  'staff-only': 'staff-only',
  staf: 'staff-only',
  terbatas: 'staff-only',
  review: 'review',
  tinjau: 'review',
};

const text = (max: number) => z.string().trim().min(1).max(max);
const listOf = (max: number) => z.union([text(max).transform((s) => [s]), z.array(text(max)).max(50)]);

/**
 * Fields of the optional `metadata.json` sidecar. Each field is validated on its own so one bad
 * field loses only that field: the item is still registered with everything else.
 */
export const metadataFields = {
  title: text(500),
  subtitle: text(500),
  creator: listOf(300),
  publisher: text(300),
  place: text(200),
  year: z
    .union([
      z.number().int(),
      z
        .string()
        .regex(/^\d{3,4}$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(1000).max(2100)),
  language: listOf(20).pipe(z.array(z.string().regex(/^[a-z]{2,3}$/, 'ISO 639 code, e.g. ind'))),
  type: text(60),
  collection: text(100),
  callNumber: text(100),
  sourceNomorInduk: text(100),
  barcode: text(100),
  isbn: text(40),
  edition: text(100),
  subjects: listOf(200),
  description: text(5000),
  rights: z
    .string()
    .trim()
    .toLowerCase()
    .transform((s) => s.replace(/[\s_]+/g, '-'))
    .pipe(z.enum(Object.keys(accessAliases) as [string, ...string[]]))
    .transform((s) => accessAliases[s] as AccessLevel),
  /**
   * The licence or rights statement, as a Creative Commons or RightsStatements.org URI or short
   * name ("CC BY 4.0", "InC"); stored as its canonical URI (IIIF `rights`, METS and OAI `dc:rights`).
   * Not the access level (`rights`).
   */
  license: z
    .string()
    .trim()
    .transform((s, ctx) => {
      const uri = rightsUri(s);
      if (uri === null)
        ctx.addIssue({ code: 'custom', message: 'not a Creative Commons or RightsStatements.org licence' });
      return uri ?? '';
    }),
  pages: z.number().int().min(1).max(100_000),
  operator: text(100),
  /**
   * Page order of the book: `rtl` for Jawi/Arabic-script books read right to left (the right half
   * of a two-page spread comes first; IIIF viewers turn pages that way). Default `ltr`.
   */
  readingDirection: z
    .string()
    .trim()
    .toLowerCase()
    .transform((s) => s.replace(/[\s_]+/g, '-'))
    .pipe(z.enum(['ltr', 'rtl', 'kiri-ke-kanan', 'kanan-ke-kiri', 'left-to-right', 'right-to-left']))
    .transform((s): 'ltr' | 'rtl' =>
      s === 'rtl' || s === 'kanan-ke-kiri' || s === 'right-to-left' ? 'rtl' : 'ltr',
    ),
} as const;

type Fields = typeof metadataFields;
export type ItemMetadata = { [K in keyof Fields]?: z.output<Fields[K]> } & {
  /**
   * The library catalogue record (core/catalog.types.ts `CatalogRecord.id`) the item's metadata was
   * completed from, at intake or by staff. Set by Pindai only: a sidecar naming it is an unknown field.
   */
  catalogRecord?: string;
};

export interface MetadataParse {
  metadata: ItemMetadata;
  /** Human-readable problems, e.g. `year: Too small`. Empty when all is well. */
  problems: string[];
}

/** The field a sidecar key names, whatever its case (`Rights`, `TITLE`); only the schema's own keys. */
export function fieldOf(key: string): keyof Fields | null {
  const lower = key.trim().toLowerCase();
  for (const f of Object.keys(metadataFields) as (keyof Fields)[]) {
    if (f.toLowerCase() === lower) return f;
  }
  return null;
}

/**
 * Validate a parsed sidecar object field by field. Unknown keys are reported, not fatal. Keys match
 * fields whatever their case; a field named twice (`rights` and `Rights`) with different values is a
 * problem and neither value is taken.
 */
export function parseMetadata(raw: unknown): MetadataParse {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { metadata: {}, problems: ['not a JSON object'] };
  }
  const metadata: Record<string, unknown> = Object.create(null);
  const problems: string[] = [];
  const seen = new Map<string, unknown>();
  for (const [key, value] of Object.entries(raw)) {
    const field = fieldOf(key);
    if (field && seen.has(field)) {
      if (JSON.stringify(seen.get(field)) !== JSON.stringify(value)) {
        problems.push(`${field}: given twice with different values`);
        delete metadata[field];
      }
      continue;
    }
    if (field) seen.set(field, value);
    // Own keys of the schema only: `constructor`, `__proto__` or `toString` are unknown fields.
    const schema: z.ZodType | undefined = field ? metadataFields[field] : undefined;
    if (!schema || !field) {
      problems.push(`${key}: unknown field (ignored)`);
      continue;
    }
    const r = schema.safeParse(value);
    if (r.success) metadata[field] = r.data;
    else problems.push(`${field}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  }
  return { metadata: { ...metadata } as ItemMetadata, problems };
}
