import type { ErrorRequestHandler, Request, Response } from 'express';

/** The one HTTP error type; the error middleware turns it into an answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'HttpError';
  }
}

/** The status an error answers with: an HttpError's, a library's `status` (body parsers), else 500. */
export function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : 500;
}

/**
 * How an area (the collection, the staff workspace) answers errors in its own words. Every part is
 * optional: without them the answer is JSON `{ error }` with the thrown message (never for a 5xx).
 */
export interface ErrorView {
  /** Leave this request's errors to the next error middleware (e.g. IIIF paths answer in JSON). */
  skip?(req: Request): boolean;
  /** The sentence for this error in the reader's language. */
  message?(req: Request, res: Response, status: number, err: unknown): string;
  /** Render a page for it and return true, or return false for the JSON answer. */
  page?(req: Request, res: Response, status: number, message: string, err: unknown): boolean;
}

/**
 * The one error middleware: the status, a log line for 5xx, nothing more once an answer has
 * started, then the area's page or the JSON answer.
 */
export function errorMiddleware(view: ErrorView = {}): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (view.skip?.(req)) return next(err);
    const status = statusOf(err);
    if (status >= 500) console.error(err);
    if (res.headersSent) return;
    const message =
      view.message?.(req, res, status, err) ??
      (status >= 500 ? 'Kesalahan internal server' : (err as Error).message);
    if (view.page?.(req, res, status, message, err)) return;
    res.status(status).json({ error: message });
  };
}
