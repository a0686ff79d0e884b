import type { ErrorRequestHandler } from 'express';

/** The one HTTP error type; the error middleware turns it into a JSON answer. */
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

export const errorMiddleware: ErrorRequestHandler = (err, _req, res, _next) => {
  const status = err instanceof HttpError ? err.status : typeof err?.status === 'number' ? err.status : 500;
  if (status >= 500) console.error(err);
  if (res.headersSent) return;
  res.status(status).json({ error: status >= 500 ? 'Kesalahan internal server' : (err as Error).message });
};
