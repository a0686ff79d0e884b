import type { Request, Response } from 'express';
import type { CatalogRecord } from '../../core/catalog.types.ts';
import type { Item } from '../../core/item.types.ts';
import type { Translator } from '../../core/messages.ts';
import { fillFromRecord } from '../../ingest/catalog/complete-from-catalog.ts';
import { editItemMetadata } from '../../search/item-changes.ts';
import { HttpError } from '../http-error.ts';
import type { StaffUser } from './auth/session.ts';
import type { ShowItemPage } from './page-replace.routes.tsx';
import type { StaffContext } from './staff.context.ts';
import { auditAction } from './staff-audit.ts';
import { pageCtx, userOf } from './staff-page.tsx';
import { Csrf } from './views/staff-layout.tsx';

/** The words staff searched the catalogue for (`?katalog=` on the item page), bounded. */
export const catalogQueryOf = (req: Request): string =>
  String(req.query.katalog ?? '')
    .trim()
    .slice(0, 200);

/**
 * The item page's catalogue card: the record the item is linked to, a search (title words or any
 * key: barcode, nomor induk, ISBN, call number) and a "link" button per hit.
 */
export function CatalogLinkSection({
  item,
  q,
  results,
  user,
  tr,
}: {
  item: Item;
  q: string;
  results: CatalogRecord[] | null;
  user: StaffUser | null;
  tr: Translator;
}) {
  const keys = (r: CatalogRecord) =>
    [...r.nomorInduk, ...r.barcodes, ...r.isbn, r.callNumber ?? ''].filter(Boolean).join(' · ');
  return (
    <section class="card" id="katalog">
      <h2>{tr('st_catalog_title')}</h2>
      {item.metadata.catalogRecord ? (
        <p>{tr('st_catalog_linked', { record: item.metadata.catalogRecord })}</p>
      ) : null}
      <form method="get" action={`/staf/item/${item.id}#katalog`} class="actions">
        <input
          name="katalog"
          type="search"
          value={q}
          maxLength={200}
          aria-label={tr('st_catalog_search')}
          placeholder={tr('st_catalog_search_hint')}
        />
        <button type="submit" class="secondary">
          {tr('st_catalog_search')}
        </button>
      </form>
      {results === null ? null : results.length === 0 ? (
        <p class="muted">{tr('st_catalog_none')}</p>
      ) : (
        <>
          <p class="muted">{tr('st_catalog_link_hint')}</p>
          <table class="grid" id="katalog-hasil">
            <tbody>
              {results.map((r) => (
                <tr data-record={r.id}>
                  <td>
                    <strong>{r.title}</strong>
                    <br />
                    <span class="muted">
                      {[r.creators.join('; '), r.publisher, r.year].filter(Boolean).join(' · ')}
                    </span>
                  </td>
                  <td>{keys(r)}</td>
                  <td>
                    <form method="post" action={`/staf/item/${item.id}/katalog`}>
                      <Csrf user={user} />
                      <input type="hidden" name="record" value={r.id} />
                      <button type="submit">{tr('st_catalog_link')}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/**
 * Link a catalogue record to the item: its empty metadata fields are filled from the record (what
 * the item has wins; access never changes), the old version kept as a revision, re-indexed when
 * public, and the action audited.
 */
export function catalogLinkHandler(ctx: StaffContext, page: ShowItemPage) {
  return async (req: Request, res: Response) => {
    const { tr } = pageCtx(res);
    const item = await ctx.register.items.get(String(req.params.id));
    if (!item) throw new HttpError(404, 'not found');
    const id = String((req.body as Record<string, unknown>).record ?? '').slice(0, 300);
    const record = id ? await ctx.register.catalog.get(id) : null;
    if (!record) return page(req, res, tr('st_catalog_not_found'), 404);
    const metadata = fillFromRecord(item.metadata, record);
    // An item whose batch gave no title was named after its folder: the record's title replaces that.
    const title = metadata.title ?? item.title;
    const u = userOf(res);
    const { changed, reindexed } = await editItemMetadata(ctx, item, title, metadata, u.username);
    await auditAction(ctx, req, res, 'item_catalog_link', `item:${item.id}`, {
      record: record.id,
      changed,
      reindexed,
    });
    res.redirect(303, `/staf/item/${item.id}?pesan=ditautkan`);
  };
}
