import { z } from 'zod';
import { INVENTORY_SORTS, type InventoryFilter } from '../../core/register/inventory.queries.ts';
import { HttpError } from '../http-error.ts';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .or(z.literal('').transform(() => undefined));
const opt = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);

export const inventoryQuery = z.object({
  status: z
    .enum(['receiving', 'received', 'processing', 'available', 'failed', 'withdrawn'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  from: day,
  to: day,
  collection: opt(100),
  operator: opt(100),
  q: opt(200),
  sort: z.enum(INVENTORY_SORTS).default('date'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  per: z.coerce.number().int().min(10).max(500).default(50),
});
export type InventoryQuery = z.output<typeof inventoryQuery>;

export function parseInventoryQuery(q: unknown): InventoryQuery {
  const p = inventoryQuery.safeParse(q);
  if (!p.success)
    throw new HttpError(400, p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return p.data;
}

export function filterOf(q: InventoryQuery): InventoryFilter {
  return { status: q.status, from: q.from, to: q.to, collection: q.collection, operator: q.operator, q: q.q };
}

/** The query string for the same filter with some fields changed (links keep the filter). */
export function queryWith(
  q: InventoryQuery,
  change: Partial<Record<keyof InventoryQuery, string | number>>,
): string {
  const p = new URLSearchParams();
  const merged = { ...q, ...change } as Record<string, unknown>;
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === '' || (k === 'page' && v === 1) || (k === 'per' && v === 50)) continue;
    if ((k === 'sort' && v === 'date') || (k === 'dir' && v === 'desc')) continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}
