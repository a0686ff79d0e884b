/**
 * Who may see an item, decided once at intake and changed only by staff. Fail closed: an item is
 * public only when its access level is known; every doubt holds it for review.
 */
import type { Item, ItemFlag } from './item.types.ts';
import {
  type AccessLevel,
  fieldOf,
  metadataFields,
  PUBLIC_ACCESS,
  type PublicAccess,
} from './metadata.schema.ts';

/** The flag an item held for review carries; `params.reason` is one of HOLD_REASONS. */
export const HELD_FLAG = 'held_for_review';

/** Why an item is held. Each has a catalogue message `held_<reason>`. */
export const HOLD_REASONS = [
  'metadata_missing',
  'metadata_malformed',
  'metadata_unreadable',
  'metadata_too_large',
  'metadata_ambiguous',
  'rights_unrecognised',
  'rights_review',
  'access_default_review',
  'registered_before_review',
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** What reading the sidecar gave, as far as access is concerned. */
export type SidecarOutcome =
  | { kind: 'absent' }
  | { kind: 'unusable'; reason: Extract<HoldReason, `metadata_${string}`>; detail: string }
  | { kind: 'read'; raw: Record<string, unknown> };

export interface AccessDecision {
  access: AccessLevel;
  /** Set when `access` is `review`: the flag to record on the item. */
  hold: ItemFlag | null;
}

/**
 * The access level of a new item.
 * - a readable sidecar with a recognised `rights` value (any key case): that value;
 * - a readable sidecar (or upload form) without `rights`: the library's default;
 * - `rights` present but not recognised, a sidecar that cannot be read, or no metadata at all: review.
 * `given` (the upload form's fields) overrides the sidecar, as it does for every field.
 */
export function decideAccess(
  sidecar: SidecarOutcome,
  given: Record<string, unknown> | undefined,
  defaultAccess: AccessLevel,
): AccessDecision {
  const held = (reason: HoldReason, params: Record<string, string> = {}): AccessDecision => ({
    access: 'review',
    hold: { code: HELD_FLAG, params: { reason, ...params } },
  });
  const givenRights = rightsValues(given ?? {});
  if (givenRights.length > 0) return fromValues(givenRights);
  if (sidecar.kind === 'unusable') return held(sidecar.reason, { detail: sidecar.detail });
  if (sidecar.kind === 'absent' && given === undefined) return held('metadata_missing');
  const values = sidecar.kind === 'read' ? rightsValues(sidecar.raw) : [];
  if (values.length > 0) return fromValues(values);
  if (defaultAccess === 'review') return held('access_default_review');
  return { access: defaultAccess, hold: null };

  function fromValues(vs: unknown[]): AccessDecision {
    if (new Set(vs.map((v) => JSON.stringify(v))).size > 1) return held('metadata_ambiguous');
    const r = metadataFields.rights.safeParse(vs[0]);
    if (!r.success) return held('rights_unrecognised', { value: shortJson(vs[0]) });
    return r.data === 'review' ? held('rights_review') : { access: r.data, hold: null };
  }
}

/** Every value given for the rights field, whatever the key's case. */
function rightsValues(raw: Record<string, unknown>): unknown[] {
  return Object.entries(raw)
    .filter(([k]) => fieldOf(k) === 'rights')
    .map(([, v]) => v);
}

function shortJson(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * An item's access level. No silent default: an item whose metadata has no rights (registered
 * before rights were always recorded, or edited by hand) is held for review.
 */
export function accessOf(item: Pick<Item, 'metadata'>): AccessLevel {
  return item.metadata.rights ?? 'review';
}

/** The public's access to an item, or null when the public may not see it at all. */
export function publicAccessOf(item: Pick<Item, 'metadata' | 'status'>): PublicAccess | null {
  if (item.status !== 'available') return null;
  const a = accessOf(item);
  return (PUBLIC_ACCESS as readonly string[]).includes(a) ? (a as PublicAccess) : null;
}

/** Why an item is held, or null when it is not held. */
export function holdOf(item: Pick<Item, 'metadata' | 'flags'>): HoldReason | null {
  if (accessOf(item) !== 'review') return null;
  const reason = item.flags.find((f) => f.code === HELD_FLAG)?.params?.reason;
  return (HOLD_REASONS as readonly unknown[]).includes(reason) ? (reason as HoldReason) : 'rights_review';
}
