/**
 * One error type for everything the pipeline expects to go wrong. `code` is stable and maps to a
 * message in the catalogue (core/messages.ts) that an operator can read; `retryable` tells the job
 * runner whether to back off and try again or to park the item at once.
 */
export class PindaiError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly params: Record<string, string | number>;

  constructor(
    code: string,
    message: string,
    opts: { retryable?: boolean; params?: Record<string, string | number>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'PindaiError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.params = opts.params ?? {};
  }
}

/** Turn any thrown value into an Error (graphile-worker's coerceError). */
export function coerceError(err: unknown): Error {
  if (err instanceof Error) return err;
  return new Error(typeof err === 'string' ? err : JSON.stringify(err));
}
