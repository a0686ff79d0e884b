import type { ItemFlag } from '../core/item.types.ts';
import { flagMessage, type Lang } from '../core/messages.ts';

/** A reason a batch was refused or flagged: a catalogue code and its parameters. */
export type Problem = ItemFlag;

export function messageOf(lang: Lang, p: Problem): string {
  return flagMessage(lang, p);
}
