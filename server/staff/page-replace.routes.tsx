import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import type { Item, Page } from '../../core/item.types.ts';
import type { Lang, Translator } from '../../core/messages.ts';
import { messageOf } from '../../ingest/problems.ts';
import { mayReplacePages, type PageReplacement, replacePage } from '../../ingest/replace-page.ts';
import { HttpError } from '../http-error.ts';
import type { StaffUser } from './auth/session.ts';
import { receiveMultipart, UploadRefused } from './multipart.ts';
import type { StaffContext } from './staff.context.ts';
import { auditAction } from './staff-audit.ts';
import { fmt, pageCtx, userOf } from './staff-page.tsx';
import { safeFileName } from './upload.routes.tsx';

/** Shows the item page again with an error (item.routes.tsx). */
export type ShowItemPage = (req: Request, res: Response, error?: string, status?: number) => Promise<void>;

/** The "replace a page" form on the item page (multipart; the token rides in the action URL). */
export function ReplacePageForm({
  item,
  pages,
  user,
  tr,
  busy,
}: {
  item: Item;
  pages: Page[];
  user: StaffUser | null;
  tr: Translator;
  busy: boolean;
}) {
  return (
    <form
      class="card"
      id="ganti-halaman"
      method="post"
      enctype="multipart/form-data"
      action={`/staf/item/${item.id}/ganti-halaman?_csrf=${encodeURIComponent(user?.csrfToken ?? '')}`}
    >
      <h2>{tr('st_item_replace')}</h2>
      <p class="actions">
        <select name="no" aria-label={tr('st_item_replace_page')}>
          {pages.map((p) => (
            <option value={p.pageNo}>
              {p.pageNo} · {p.sourceFile}
            </option>
          ))}
        </select>
        <input
          type="file"
          name="halaman"
          required
          aria-label={tr('st_item_replace_file')}
          accept=".jpg,.jpeg,.png,.tif,.tiff,image/jpeg,image/png,image/tiff"
        />
        <button type="submit" class="secondary" disabled={busy}>
          {tr('st_item_replace_button')}
        </button>
      </p>
      <p class="muted">{tr('st_item_replace_hint')}</p>
    </form>
  );
}

/**
 * Replace one page of an item with a rescan: the multipart upload is received into a temp folder
 * and handed to intake (ingest/replace-page.ts), which checks, stores and verifies it.
 */
export function pageReplaceHandler(ctx: StaffContext, show: ShowItemPage) {
  const o = ctx.options;

  function receive(req: Request, res: Response, dir: string): Promise<void> {
    const { tr, lang } = pageCtx(res);
    return receiveMultipart(req, res, {
      fileField: 'halaman',
      maxFiles: 1,
      maxFileBytes: o.maxFileBytes,
      maxFields: 4,
      maxFieldBytes: 1024,
      dir,
      // One file: a fixed name on disk; the given name is checked and recorded separately.
      diskName: () => 'halaman',
      check: (given) =>
        safeFileName(given) ? null : new UploadRefused(400, tr('st_up_bad_name', { name: given })),
      texts: {
        tooLarge: tr('st_item_replace_too_large', { limit: fmt.bytes(o.maxFileBytes, lang) }),
        overLimit: () => tr('st_item_replace_no_file'),
        malformed: tr('st_up_malformed'),
      },
    });
  }

  async function replace(req: Request, res: Response, item: Item, tmp: string) {
    const { tr, lang } = pageCtx(res);
    await receive(req, res, tmp);
    const file = (req.files as Express.Multer.File[] | undefined)?.[0];
    if (!file) throw new UploadRefused(400, tr('st_item_replace_no_file'));
    const no = Number((req.body as Record<string, unknown>).no);
    const name = file.originalname;
    const r = await replacePage(ctx, item, no, { path: file.path, name }, userOf(res).username);
    if (!r.ok) throw refusalOf(r, no, tr, lang);
    await auditAction(ctx, req, res, 'item_page_replace', `item:${item.id}`, {
      page: no,
      file: name,
      bytes: r.bytes,
      sha256: r.sha256,
      key: r.key,
      previousKey: r.previous.key,
      previousFile: r.previous.file,
    });
    ctx.poke();
  }

  return async (req: Request, res: Response) => {
    const { tr, lang } = pageCtx(res);
    const item = await ctx.register.items.get(String(req.params.id));
    if (!item) throw new HttpError(404, 'not found');
    if (!req.is('multipart/form-data')) throw new HttpError(400, tr('st_item_replace_no_file'));
    const length = Number(req.get('content-length'));
    // UploadRefused from the headers alone: one page file and a few small fields.
    if (!Number.isFinite(length)) throw new HttpError(411, tr('st_length_required'));
    if (length > o.maxFileBytes + 64 * 1024) {
      res.set('Connection', 'close');
      return show(req, res, tr('st_item_replace_too_large', { limit: fmt.bytes(o.maxFileBytes, lang) }), 413);
    }
    if (!(await mayReplacePages(ctx.register, item))) {
      res.set('Connection', 'close');
      return show(req, res, tr('st_item_replace_refused'), 409);
    }
    fs.mkdirSync(ctx.dirs.uploadTmp, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(ctx.dirs.uploadTmp, 'g-'));
    let refused: UploadRefused | null = null;
    try {
      await replace(req, res, item, tmp);
    } catch (err) {
      // A client that went away gets its refusal too: writing to a closed socket does nothing.
      if (!(err instanceof UploadRefused)) throw err;
      refused = err;
    } finally {
      await fs.promises.rm(tmp, { recursive: true, force: true });
    }
    if (refused) {
      res.set('Connection', 'close');
      return show(req, res, refused.text, refused.status);
    }
    res.redirect(303, `/staf/item/${item.id}?pesan=diganti`);
  };
}

/** Intake's answer, in the staff member's words and an HTTP status. */
function refusalOf(
  r: Extract<PageReplacement, { ok: false }>,
  no: number,
  tr: Translator,
  lang: Lang,
): UploadRefused {
  switch (r.why) {
    case 'no_page':
      return new UploadRefused(404, tr('st_item_replace_no_page', { n: String(no) }));
    case 'invalid':
      return new UploadRefused(422, tr('st_item_replace_invalid', { detail: messageOf(lang, r.problem) }));
    case 'multipage':
      return new UploadRefused(422, tr('st_item_replace_multipage', { pages: r.pages }));
    case 'same':
      return new UploadRefused(409, tr('st_item_replace_same'));
    case 'store_conflict':
      return new UploadRefused(409, tr('st_item_replace_store_failed'));
    case 'store_failed':
      return new UploadRefused(502, tr('st_item_replace_store_failed'));
    case 'refused':
      return new UploadRefused(409, tr('st_item_replace_refused'));
  }
}
