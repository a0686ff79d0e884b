import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import { PindaiError } from '../../core/errors.ts';
import type { Item, Page } from '../../core/item.types.ts';
import { keys } from '../../core/store/keys.ts';
import { messageOf } from '../../ingest/problems.ts';
import { HttpError } from '../http-error.ts';
import type { Translator } from '../i18n/translate.ts';
import type { StaffUser } from './auth/session.ts';
import { receiveMultipart, UploadRefused } from './multipart.ts';
import type { StaffContext } from './staff.context.ts';
import { auditAction } from './staff-audit.ts';
import { fmt, pageCtx, userOf } from './staff-page.tsx';
import { safeFileName } from './upload.routes.tsx';

/** Shows the item page again with an error (item.routes.tsx). */
export type ShowItemPage = (req: Request, res: Response, error?: string, status?: number) => void;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

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
 * Replace one page of an item with a rescan: the upload is checked as intake checks pages, stored
 * under a new key, read back and verified; only then does the page point at it. The previous page
 * record is kept as a revision and its original stays in the store; the item is redone from cleaning.
 */
export function pageReplaceHandler(ctx: StaffContext, show: ShowItemPage) {
  const o = ctx.options;

  function receive(req: Request, res: Response, dir: string): Promise<void> {
    const { tr } = pageCtx(res);
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
        tooLarge: tr('st_item_replace_too_large', { limit: fmt.bytes(o.maxFileBytes) }),
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
    const current = Number.isInteger(no) ? ctx.register.pages.get(item.id, no) : null;
    if (!current) throw new UploadRefused(404, tr('st_item_replace_no_page', { n: String(no) }));
    const name = file.originalname;
    const data = await fs.promises.readFile(file.path);
    // The same checks as a page arriving in a batch: format by content, pixel limit, full decode.
    const info = await ctx.probe(data, { maxPixels: ctx.maxPixels, maxPages: 1 }).catch((err: unknown) => {
      const problem =
        err instanceof PindaiError
          ? { code: err.code, params: { file: name, detail: err.message, ...err.params } }
          : { code: 'image_corrupt', params: { file: name, detail: (err as Error).message } };
      throw new UploadRefused(422, tr('st_item_replace_invalid', { detail: messageOf(lang, problem) }));
    });
    if (info.pages !== 1)
      throw new UploadRefused(422, tr('st_item_replace_multipage', { pages: info.pages }));
    const hash = sha256(data);
    if (hash === current.originalSha256) throw new UploadRefused(409, tr('st_item_replace_same'));

    const key = keys.replacementOriginal(item.id, no, hash, name);
    // The key is named by content: an object already there with these bytes is this very scan.
    const existing = await ctx.store.head(key);
    if (!existing || (await ctx.store.sha256(key)) !== hash) {
      if (existing) throw new UploadRefused(409, tr('st_item_replace_store_failed'));
      await ctx.store.putFile(key, file.path);
      if ((await ctx.store.sha256(key)) !== hash)
        throw new UploadRefused(502, tr('st_item_replace_store_failed'));
    }
    const before = ctx.staffItems.replacePage(
      item.id,
      no,
      {
        sourceFile: name,
        originalKey: key,
        originalSha256: hash,
        originalBytes: data.length,
        format: info.format,
        width: info.width,
        height: info.height,
        dpi: info.density,
      },
      userOf(res).username,
    );
    if (!before) throw new UploadRefused(409, tr('st_item_replace_refused'));
    auditAction(ctx, req, res, 'item_page_replace', `item:${item.id}`, {
      page: no,
      file: name,
      bytes: data.length,
      sha256: hash,
      key,
      previousKey: before.original_key,
      previousFile: before.source_file,
    });
    ctx.poke();
  }

  return async (req: Request, res: Response) => {
    const { tr } = pageCtx(res);
    const item = ctx.register.items.get(String(req.params.id));
    if (!item) throw new HttpError(404, 'not found');
    if (!req.is('multipart/form-data')) throw new HttpError(400, tr('st_item_replace_no_file'));
    const length = Number(req.get('content-length'));
    // UploadRefused from the headers alone: one page file and a few small fields.
    if (!Number.isFinite(length)) throw new HttpError(411, 'Content-Length required');
    if (length > o.maxFileBytes + 64 * 1024) {
      res.set('Connection', 'close');
      return show(req, res, tr('st_item_replace_too_large', { limit: fmt.bytes(o.maxFileBytes) }), 413);
    }
    const jobs = ctx.register.jobs.forItem(item.id);
    if (
      item.status === 'withdrawn' ||
      jobs.some((j) => j.status === 'queued' || j.status === 'running') ||
      !jobs.some((j) => j.stage === 'clean')
    ) {
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
