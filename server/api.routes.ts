import { Router } from 'express';
import { z } from 'zod';
import { PUBLIC_ACCESS } from '../core/metadata.schema.ts';
import type { Register } from '../core/register/register.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { isPublicItem, publicItemOf } from './collection/public-item.ts';
import { HttpError } from './http-error.ts';
import { sendObject } from './send-object.ts';

export interface ApiDeps {
  register: Register;
  store: ObjectStore;
  index: SearchIndex;
}

const searchQuery = z.object({
  q: z.string().max(500).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});

/** JSON API. Staff-only items are invisible here; read-online items have no PDF. */
export function apiRoutes({ register, store, index }: ApiDeps): Router {
  const r = Router();
  // The collection's gate; the API also takes a nomor induk where the collection takes an id.
  const publicItem = async (id: string) =>
    publicItemOf((await register.items.get(id)) ?? (await register.items.byNomorInduk(id)));

  r.get('/search', async (req, res) => {
    const q = searchQuery.safeParse(req.query);
    if (!q.success) throw new HttpError(400, q.error.issues.map((i) => i.message).join('; '));
    const result = await index.search({
      q: q.data.q,
      limit: q.data.limit,
      offset: q.data.offset,
      filters: { rights: [...PUBLIC_ACCESS], excludeRights: ['staff-only', 'review'] },
    });
    // The index is filtered by rights already; the register has the last word (an index not yet
    // updated after staff changed an item's access must not leak it).
    const visible = new Map<string, boolean>();
    const isPublic = async (id: string) => {
      if (!visible.has(id)) {
        const item = await register.items.get(id);
        visible.set(id, isPublicItem(item));
      }
      return visible.get(id) === true;
    };
    const hits = [];
    for (const h of result.hits) if (await isPublic(h.itemId)) hits.push(h);
    res.json({ ...result, hits });
  });

  r.get('/items/:id', async (req, res) => {
    const { item, access } = await publicItem(req.params.id);
    res.json({
      id: item.id,
      nomorInduk: item.nomorInduk,
      sourceNomorInduk: item.sourceNomorInduk,
      title: item.title,
      metadata: item.metadata,
      pageCount: item.pageCount,
      access,
      pdf: access === 'open' ? { url: `/api/items/${item.id}/pdf`, bytes: item.pdfBytes } : null,
      availableAt: item.availableAt,
    });
  });

  r.get('/items/:id/pdf', async (req, res) => {
    const { item, canDownload } = await publicItem(req.params.id);
    if (!canDownload || !item.pdfKey) throw new HttpError(403, 'PDF item ini hanya dapat dibaca daring');
    const filename = `${(item.nomorInduk ?? item.id).replace(/[^\w.-]+/g, '-')}.pdf`;
    await sendObject(req, res, store, item.pdfKey, { contentType: 'application/pdf', filename });
  });

  return r;
}
