import { PindaiError } from '../core/errors.ts';
import type { ItemFlag } from '../core/item.types.ts';
import { flagMessage, type Lang } from '../core/messages.ts';
import { contentKindOf } from './other-files.ts';

/** A reason a batch was refused or flagged: a catalogue code and its parameters. */
export type Problem = ItemFlag;

export function messageOf(lang: Lang, p: Problem): string {
  return flagMessage(lang, p);
}

/**
 * The operator's reason for a file the probe refused: named, in the catalogue's words. The file's
 * raw bytes and the decoder's own message stay out (`detail` is kept for logs and support only).
 */
export function probeProblemOf(err: unknown, file: string): Problem {
  if (err instanceof PindaiError && err.code === 'image_unsupported') {
    const kind = contentKindOf(String(err.params.head ?? ''), err.params.content === 'text');
    return { code: kind === 'other' ? err.code : `image_unsupported_${kind}`, params: { file } };
  }
  if (err instanceof PindaiError && err.code === 'image_corrupt') {
    const code = err.params.damage === 'truncated' ? 'image_truncated' : err.code;
    return { code, params: { file, detail: err.message } };
  }
  if (err instanceof PindaiError)
    return { code: err.code, params: { file, detail: err.message, ...err.params } };
  return { code: 'image_corrupt', params: { file, detail: (err as Error).message } };
}
