import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import type { AcceptResult } from '../../ingest/accept-batch.ts';
import { PAGE_EXTENSIONS } from '../../ingest/ignore-rules.ts';
import { messageOf } from '../../ingest/problems.ts';
import { HttpError } from '../http-error.ts';
import { staffUser } from './auth/session.ts';
import { receiveMultipart, UploadRefused } from './multipart.ts';
import type { StaffContext } from './staff.context.ts';
import { auditAction } from './staff-audit.ts';
import { fmt, pageCtx, sendStaffPage, userOf } from './staff-page.tsx';
import { UPLOAD_SCRIPT } from './upload.script.ts';
import { StatusBadge } from './views/badges.tsx';
import { MetadataFields, metadataFromForm } from './views/metadata-form.tsx';
import { Notice } from './views/staff-layout.tsx';

/** A page file name we store as given (NFC or NFD kept), or null when it is unsafe. */
export function safeFileName(name: string): string | null {
  return fileProblem(name) === null ? name : null;
}

/**
 * What is wrong with an uploaded file's name, if anything: `name` (empty, too long, a path or
 * control characters, hidden) or `type` (not a page image or PDF, judged by its extension; the
 * content is checked again at intake). The operator is told which.
 */
export function fileProblem(name: string): 'name' | 'type' | null {
  if (!name || Buffer.byteLength(name) > 255) return 'name';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[/\\\u0000-\u001f\u007f]/.test(name) || name.startsWith('.')) return 'name';
  if (!PAGE_EXTENSIONS.has(path.extname(name).toLowerCase())) return 'type';
  return null;
}

/** The accepted types as the file picker and the operator read them. */
const ACCEPT = [...PAGE_EXTENSIONS].join(',');
const TYPES_TEXT = 'JPEG, PNG, TIFF, PDF';

function folderName(title: string | undefined): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  const base = (title ?? '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._-]+/gu, ' ')
    .trim()
    .slice(0, 60)
    .trim();
  return `${base || 'unggah'} ${stamp}`;
}

/** Operators' browser uploads: multer to a temp folder on the inbox's disk, then acceptBatch. */
export function uploadHandlers(ctx: StaffContext) {
  const o = ctx.options;

  function receive(req: Request, res: Response, dir: string): Promise<void> {
    const { tr, lang } = pageCtx(res);
    const seen = new Set<string>();
    return receiveMultipart(req, res, {
      fileField: 'halaman',
      maxFiles: o.maxFiles,
      maxFileBytes: o.maxFileBytes,
      maxFields: 40,
      maxFieldBytes: 64 * 1024,
      dir,
      diskName: (name) => name,
      check: (given) => {
        const problem = fileProblem(given);
        if (problem === 'type') {
          const ext = path.extname(given).toLowerCase() || '—';
          return new UploadRefused(400, tr('st_up_bad_type', { name: given, ext, types: TYPES_TEXT }));
        }
        if (problem === 'name' || seen.has(given.normalize('NFC')))
          return new UploadRefused(400, tr('st_up_bad_name', { name: given }));
        seen.add(given.normalize('NFC'));
        return null;
      },
      texts: {
        tooLarge: tr('st_up_too_large', { limit: fmt.bytes(o.maxFileBytes, lang) }),
        overLimit: (limit) => tr('st_up_too_many', { limit }),
        malformed: tr('st_up_malformed'),
      },
    });
  }

  function answer(req: Request, res: Response, result: AcceptResult | null, status: number, lines: string[]) {
    const { tr } = pageCtx(res);
    const url = result?.item ? `/staf/item/${result.item.id}` : null;
    const kind = result?.status === 'accepted' ? 'ok' : result?.status === 'duplicate' ? 'warn' : 'err';
    const [message = '', ...problems] = lines;
    if (req.get('x-requested-with') === 'XMLHttpRequest' || req.accepts(['html', 'json']) === 'json') {
      res.status(status).json({
        status: result?.status ?? 'rejected',
        itemId: result?.item?.id ?? null,
        message,
        problems,
        url,
      });
      return;
    }
    sendStaffPage(req, res, { title: tr('st_up_title'), current: '/staf/unggah', status }, [
      <h1>{tr('st_up_title')}</h1>,
      <div data-result={kind}>
        <Notice kind={kind}>
          <strong>{message}</strong>
          {problems.map((p) => (
            <div>{p}</div>
          ))}
        </Notice>
      </div>,
      <p class="actions">
        {url ? (
          <a class="button" href={url}>
            {tr('st_up_view_item')}
          </a>
        ) : null}
        <a class="button secondary" href="/staf/unggah">
          {tr('st_up_another')}
        </a>
      </p>,
    ]);
  }

  /** Every refused upload is in the audit log with its reason, whatever refused it. */
  async function refused(req: Request, res: Response, reason: string): Promise<void> {
    const files = ((req.files as Express.Multer.File[] | undefined) ?? []).map((f) => f.originalname);
    await auditAction(ctx, req, res, 'upload_refused', null, {
      reason,
      ...(files.length ? { files } : {}),
    });
  }

  async function receiveAndAccept(req: Request, res: Response, tmp: string): Promise<() => void> {
    const { tr, lang } = pageCtx(res);
    // Files land in tmp/in; the batch folder is named once the title field has been read.
    const inDir = path.join(tmp, 'in');
    fs.mkdirSync(inDir);
    try {
      await receive(req, res, inDir);
    } catch (err) {
      // A client that went away gets this answer too: writing to a closed socket does nothing.
      if (err instanceof UploadRefused) {
        await refused(req, res, err.text);
        return () => answer(req, res, null, err.status, [err.text]);
      }
      throw err;
    }
    const files = (req.files as Express.Multer.File[] | undefined) ?? [];
    if (files.length === 0) {
      await refused(req, res, tr('st_up_no_files'));
      return () => answer(req, res, null, 400, [tr('st_up_no_files')]);
    }
    const fields = req.body as Record<string, unknown>;
    const metadata = metadataFromForm(fields);
    const batchDir = path.join(tmp, folderName(typeof fields.title === 'string' ? fields.title : undefined));
    fs.renameSync(inDir, batchDir);
    const result = await ctx.accept(batchDir, {
      intake: 'upload',
      operator: staffUser(res)?.username ?? null,
      metadata,
      // The operator keeps their own copy: a refused upload is simply removed with the temp folder.
      disposition: { kind: 'keep' },
    });
    const problems = result.problems.map((p) => messageOf(lang, p));
    await auditAction(ctx, req, res, 'upload', result.item ? `item:${result.item.id}` : null, {
      status: result.status,
      files: files.length,
      bytes: files.reduce((n, f) => n + f.size, 0),
      ...(result.status === 'rejected' ? { problems } : {}),
    });
    if (result.status === 'duplicate') {
      const it = result.item;
      return () =>
        answer(req, res, result, 409, [
          tr('st_up_duplicate', { nomor: it.nomorInduk ?? it.id, title: it.title }),
        ]);
    }
    if (result.status === 'rejected')
      return () => answer(req, res, result, 422, [tr('st_up_rejected'), ...problems]);
    return () =>
      answer(req, res, result, 201, [
        tr('st_up_accepted', { title: result.item.title, pages: result.item.pageCount }),
        ...problems,
      ]);
  }

  return {
    script(_req: Request, res: Response) {
      res.type('text/javascript').set('Cache-Control', 'public, max-age=3600').send(UPLOAD_SCRIPT);
    },

    async form(req: Request, res: Response) {
      const { tr, lang, user } = pageCtx(res);
      const u = userOf(res);
      const mine = await ctx.inventory.list({ operator: u.username }, { limit: 8 });
      sendStaffPage(
        req,
        res,
        { title: tr('st_up_title'), current: '/staf/unggah', scripts: ['/staf/aset/unggah.js'] },
        [
          <h1>{tr('st_up_title')}</h1>,
          <p class="muted">{tr('st_up_intro')}</p>,
          <form
            id="unggah"
            class="card stack"
            method="post"
            enctype="multipart/form-data"
            action={`/staf/unggah?_csrf=${encodeURIComponent(user?.csrfToken ?? '')}`}
            data-msg-progress={tr('st_up_progress', { pct: '{pct}' })}
            data-msg-processing={tr('st_up_processing')}
            data-msg-failed={tr('st_up_failed', { detail: '{detail}' })}
            data-msg-view={tr('st_up_view_item')}
            data-accept={ACCEPT}
            data-msg-bad-type={tr('st_up_bad_type', { name: '{name}', ext: '{ext}', types: TYPES_TEXT })}
            data-msg-bad-files={tr('st_up_bad_files')}
            data-msg-not-page={tr('st_up_not_page', { name: '{name}', ext: '{ext}' })}
          >
            <label class="wide">
              {tr('st_up_files')}
              <input
                type="file"
                name="halaman"
                multiple
                required
                accept={`${ACCEPT},image/jpeg,image/png,image/tiff,application/pdf`}
              />
              <span class="muted">
                {tr('st_up_limits', {
                  files: o.maxFiles,
                  file: fmt.bytes(o.maxFileBytes, lang),
                  total: fmt.bytes(o.maxUploadBytes, lang),
                })}
              </span>
            </label>
            <MetadataFields tr={tr} upload lists={await ctx.staffSettings.itemLists()} lang={lang} />
            <div class="wide">
              <progress id="kemajuan" max={100} value={0} hidden />
              <span id="kemajuan-teks" aria-live="polite" />
            </div>
            <div class="wide">
              <button type="submit">{tr('st_up_button')}</button>
            </div>
          </form>,
          <div id="hasil" aria-live="polite" />,
          <h2>{tr('st_home_mine')}</h2>,
          <table class="grid">
            <tbody>
              {mine.map((e) => (
                <tr>
                  <td>
                    <a href={`/staf/item/${e.id}`}>{e.title}</a>
                  </td>
                  <td class="num">{fmt.num(e.pages, lang)}</td>
                  <td>
                    <StatusBadge status={e.status} stage={e.stage} tr={tr} />
                  </td>
                  <td>{fmt.dateTime(e.date, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>,
        ],
      );
    },

    async upload(req: Request, res: Response) {
      const { tr, lang } = pageCtx(res);
      if (!req.is('multipart/form-data')) throw new HttpError(400, tr('st_up_no_files'));
      const length = Number(req.get('content-length'));
      // Refused from the headers alone: not one byte of an oversized body is read or stored.
      if (!Number.isFinite(length)) throw new HttpError(411, tr('st_length_required'));
      if (length > o.maxUploadBytes) {
        res.set('Connection', 'close');
        await refused(req, res, tr('st_up_too_large', { limit: fmt.bytes(o.maxUploadBytes, lang) }));
        return answer(req, res, null, 413, [
          tr('st_up_too_large', { limit: fmt.bytes(o.maxUploadBytes, lang) }),
        ]);
      }
      fs.mkdirSync(ctx.dirs.uploadTmp, { recursive: true });
      const tmp = fs.mkdtempSync(path.join(ctx.dirs.uploadTmp, 'u-'));
      let reply: () => void;
      try {
        reply = await receiveAndAccept(req, res, tmp);
      } finally {
        // Whatever happened (accepted, refused, aborted), nothing stays behind; the answer goes
        // out only after the temp folder is gone. Accepted originals are already stored and verified.
        await fs.promises.rm(tmp, { recursive: true, force: true });
      }
      reply();
    },
  };
}
