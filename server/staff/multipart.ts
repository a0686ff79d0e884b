import type { Request, Response } from 'express';
import multer from 'multer';

/** Why an upload was refused, with its HTTP status: shown to the operator, never a 500. */
export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {
    super(text);
  }
}

/** One staff multipart upload: files to `dir`, fields to `req.body`. */
export interface MultipartOptions {
  /** The form field that carries the files. */
  fileField: string;
  maxFiles: number;
  maxFileBytes: number;
  /** Text fields allowed, and the largest one in bytes. */
  maxFields: number;
  maxFieldBytes: number;
  dir: string;
  /** The name a file gets on disk (called only for files `check` let through). */
  diskName(originalName: string): string;
  /** A refusal for a file, judged by its given name before a byte of it is stored; null lets it in. */
  check(originalName: string): UploadRefused | null;
  /** Operator texts, in their language. */
  texts: { tooLarge: string; overLimit(limit: string): string; malformed: string };
}

/**
 * Reads a multipart body with multer (busboy). Every way a body can be wrong (a control character
 * in a part header, a body cut off before its closing boundary, no boundary at all, a limit
 * crossed, a refused name) becomes an UploadRefused, 400 or 413; only a failure of our own disk
 * (an error with a syscall) stays an error. On refusal multer has removed whatever it stored.
 */
export function receiveMultipart(req: Request, res: Response, o: MultipartOptions): Promise<void> {
  const mw = multer({
    storage: multer.diskStorage({
      destination: (_req, _file, cb) => cb(null, o.dir),
      filename: (_req, file, cb) => cb(null, o.diskName(file.originalname)),
    }),
    // busboy reads RFC 2231/5987 and raw UTF-8 names as UTF-8 (browsers send raw UTF-8).
    defParamCharset: 'utf8',
    limits: {
      fileSize: o.maxFileBytes,
      files: o.maxFiles,
      fields: o.maxFields,
      fieldSize: o.maxFieldBytes,
      parts: o.maxFiles + o.maxFields,
      headerPairs: 200,
    },
    fileFilter: (_req, file, cb) => {
      const refused = o.check(file.originalname);
      if (refused) cb(refused);
      else cb(null, true);
    },
  }).array(o.fileField, o.maxFiles);
  return new Promise((resolve, reject) => {
    mw(req, res, (err?: unknown) => {
      if (!err) return resolve();
      const refused = refusalOf(err, o);
      if (!refused) return reject(err);
      // The rest of a refused body is not worth reading on this connection.
      res.set('Connection', 'close');
      reject(refused);
    });
  });
}

function refusalOf(err: unknown, o: MultipartOptions): UploadRefused | null {
  if (err instanceof UploadRefused) return err;
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return new UploadRefused(413, o.texts.tooLarge);
    const limit =
      err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE' ? o.maxFiles : err.code;
    return new UploadRefused(400, o.texts.overLimit(String(limit)));
  }
  // Our own disk failing (ENOSPC, EACCES…) is a server error; anything else came from the body.
  if (err instanceof Error && 'syscall' in err) return null;
  return new UploadRefused(400, o.texts.malformed);
}
