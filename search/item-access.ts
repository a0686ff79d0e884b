import type { AccessLevel } from '../core/metadata.schema.ts';
import type { Register } from '../core/register/register.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { reindexIfAvailable } from './index-item.ts';
import type { SearchIndex } from './search-index.ts';

export interface AccessActor {
  userId: number | null;
  username: string;
  ip?: string | null;
}

export type AccessChange =
  | { ok: true; before: AccessLevel | null; reindexed: boolean }
  | { ok: false; why: 'not_found' | 'same' };

/**
 * Set an item's access level, the one way both /staf and `pindai review` publish a held item (or
 * make it staff-only). The register changes first, then the search index follows; the change and
 * its reason go to the audit log as `item_publish` (now public) or `item_access` (otherwise).
 */
export async function setItemAccess(
  deps: { register: Register; store: ObjectStore; index: SearchIndex },
  itemId: string,
  access: AccessLevel,
  reason: string,
  actor: AccessActor,
): Promise<AccessChange> {
  const current = await deps.register.items.get(itemId);
  if (!current || current.status === 'withdrawn') return { ok: false, why: 'not_found' };
  if (current.metadata.rights === access) return { ok: false, why: 'same' };
  const before = await deps.register.review.setAccess(itemId, access, actor.username);
  if (!before) return { ok: false, why: 'not_found' };
  // Not yet available (still processing): the publish stage indexes it with its new access.
  const reindexed = await reindexIfAvailable(deps, itemId);
  const isPublic = access === 'open' || access === 'read-online';
  await deps.register.audit.record({
    userId: actor.userId,
    username: actor.username,
    action: isPublic ? 'item_publish' : 'item_access',
    target: `item:${itemId}`,
    detail: { from: before.metadata.rights ?? null, to: access, reason, reindexed },
    ip: actor.ip ?? null,
  });
  return { ok: true, before: before.metadata.rights ?? null, reindexed };
}
