import { z } from 'zod';
import type { Item } from '../../core/item.types.ts';
import type { PublicAccess } from '../../core/metadata.schema.ts';
import type { HarvestQuery } from '../../core/register/harvest.queries.ts';
import type { Register } from '../../core/register/register.ts';
import { publicAccess } from '../collection/public-item.ts';
import { type FormatPrefix, isFormat } from './oai-metadata.ts';
import { type OaiError, parseDateWindow } from './oai-request.ts';
import { filterOfSet } from './oai-sets.ts';

/**
 * What the repository shows of an item: a record (public now), a `deleted` record (withdrawn
 * after being public), or nothing (staff-only, held for review, never published). The register's
 * harvest queries pre-select the same items in SQL; this is the last word, with the collection's
 * own gate (public-item.ts), so nothing the collection hides can be harvested.
 */
export type HarvestState = { kind: 'record'; access: PublicAccess } | { kind: 'deleted' };

export function harvestStateOf(item: Item | null): HarvestState | null {
  if (!item) return null;
  const access = publicAccess(item);
  if (access) return { kind: 'record', access };
  const wasPublic = publicAccess({ metadata: item.metadata, status: 'available' }) !== null;
  if (item.status === 'withdrawn' && item.availableAt !== null && wasPublic) return { kind: 'deleted' };
  return null;
}

/** The arguments of a list request, as the harvester gave them (a resumption token repeats them). */
export interface ListArgs {
  metadataPrefix: FormatPrefix;
  from?: string | undefined;
  until?: string | undefined;
  set?: string | undefined;
}

/**
 * A resumption token: the list's arguments and where the last page ended, in the list's stable
 * order (item ids), not an offset, so items published, edited or withdrawn meanwhile shift
 * nothing. Self-contained (no server state): any node behind a load balancer can resume it.
 */
const tokenSchema = z.strictObject({
  v: z.literal(1),
  verb: z.enum(['ListIdentifiers', 'ListRecords']),
  m: z.string().refine(isFormat),
  f: z.string().optional(),
  u: z.string().optional(),
  s: z.string().optional(),
  a: z.string().regex(/^[a-z0-9]{1,64}$/),
  c: z.number().int().min(0),
  n: z.number().int().min(0),
  x: z.number().int(),
});
export type ListToken = z.output<typeof tokenSchema>;

export function encodeToken(t: ListToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

/** The token's state, or null when it is not one of ours, is damaged, or expired at `now`. */
export function decodeToken(token: string, verb: ListToken['verb'], now: number): ListToken | null {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(token)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const r = tokenSchema.safeParse(raw);
  if (!r.success || r.data.verb !== verb || r.data.x <= now) return null;
  return r.data;
}

export interface ListPage {
  metadataPrefix: FormatPrefix;
  items: Array<{ item: Item; state: HarvestState }>;
  /** The token for the next page, absent on the last page. */
  next?: { token: string; expires: number };
  completeListSize: number;
  cursor: number;
  /** Whether this list was resumed (its last page then carries an empty resumptionToken). */
  resumed: boolean;
}

export interface ListOptions {
  pageSize: number;
  tokenLifetimeMs: number;
  now: number;
}

/** Resolve a list request to the register's query, or the OAI errors it earns. */
async function queryOf(register: Register, a: ListArgs): Promise<HarvestQuery | OaiError[]> {
  const window = parseDateWindow(a.from, a.until);
  if (!window)
    return [
      {
        code: 'badArgument',
        message:
          'from and until must be UTC dates (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ) of the same granularity, from not after until.',
      },
    ];
  let sets: Pick<HarvestQuery, 'collections' | 'types'> = { collections: null, types: null };
  if (a.set !== undefined) {
    const filter = filterOfSet(a.set, await register.harvest.setValues());
    if (!filter) return [{ code: 'noRecordsMatch', message: `There is no set ${a.set}.` }];
    sets = filter;
  }
  return { ...window, ...sets };
}

/**
 * One page of ListIdentifiers or ListRecords: from the arguments (a new list) or a token (the
 * next page of one). Reads one item more than a page to know whether another page follows.
 */
export async function listPage(
  register: Register,
  verb: ListToken['verb'],
  start: { args: ListArgs } | { token: string },
  o: ListOptions,
): Promise<ListPage | OaiError[]> {
  let args: ListArgs;
  let afterId: string | null = null;
  let cursor = 0;
  let total: number | null = null;
  if ('token' in start) {
    const t = decodeToken(start.token, verb, o.now);
    if (!t)
      return [{ code: 'badResumptionToken', message: 'The resumptionToken is invalid or has expired.' }];
    args = { metadataPrefix: t.m as FormatPrefix, from: t.f, until: t.u, set: t.s };
    ({ a: afterId, c: cursor, n: total } = t);
  } else {
    args = start.args;
  }
  const q = await queryOf(register, args);
  if (Array.isArray(q)) return q;
  const rows = await register.harvest.page({ ...q, afterId, limit: o.pageSize + 1 });
  const shown = rows.slice(0, o.pageSize);
  const items = shown.flatMap((item) => {
    const state = harvestStateOf(item);
    return state ? [{ item, state }] : [];
  });
  if (items.length === 0)
    return [{ code: 'noRecordsMatch', message: 'No records match the arguments of this request.' }];
  const completeListSize = total ?? (await register.harvest.count(q));
  const last = shown.at(-1);
  const page: ListPage = {
    metadataPrefix: args.metadataPrefix,
    items,
    completeListSize,
    cursor,
    resumed: afterId !== null,
  };
  if (rows.length > o.pageSize && last) {
    const expires = o.now + o.tokenLifetimeMs;
    const token = encodeToken({
      v: 1,
      verb,
      m: args.metadataPrefix,
      ...(args.from !== undefined && { f: args.from }),
      ...(args.until !== undefined && { u: args.until }),
      ...(args.set !== undefined && { s: args.set }),
      a: last.id,
      c: cursor + shown.length,
      n: completeListSize,
      x: expires,
    });
    page.next = { token, expires };
  }
  return page;
}
