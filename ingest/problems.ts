import type { ItemFlag } from '../core/item.types.ts';
import { isMessageKey, type Lang, t } from '../core/messages.ts';

/** A reason a batch was refused or flagged: a catalogue code and its parameters. */
export type Problem = ItemFlag;

export function messageOf(lang: Lang, p: Problem): string {
  if (isMessageKey(p.code)) return t(lang, p.code, p.params ?? {});
  return `${p.code}${p.params ? ` ${JSON.stringify(p.params)}` : ''}`;
}
