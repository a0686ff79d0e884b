import type { Lang, Translator } from '../../../core/messages.ts';
import type { ReplicaHealth } from '../../../core/replica/replica-health.ts';
import { fmt } from '../staff-page.tsx';

/**
 * The staff home's red banner about the second copy: shown only when something needs a person —
 * copies waiting longer than PINDAI_REPLICA_MAX_LAG, or the last verification found a replica copy
 * that does not match its manifest. Nothing is shown while the replica keeps up (or there is none).
 */
export function ReplicaBanner({ health, tr, lang }: { health: ReplicaHealth; tr: Translator; lang: Lang }) {
  if (!health.configured) return null;
  const lines: string[] = [];
  if (health.behind) {
    lines.push(
      tr('st_replica_behind', {
        pending: fmt.num(health.pending, lang),
        age: fmt.duration((health.oldestPendingSeconds ?? 0) * 1000, lang),
        maxLag: fmt.duration((health.maxLagSeconds ?? 0) * 1000, lang),
      }),
    );
  }
  if ((health.lastVerify?.mismatches ?? 0) > 0) {
    lines.push(tr('st_replica_damaged', { mismatches: fmt.num(health.lastVerify?.mismatches ?? 0, lang) }));
  }
  if (lines.length === 0) return null;
  return (
    <div class="notice err" role="alert" data-replica="behind">
      {lines.map((l) => (
        <p>{l}</p>
      ))}
    </div>
  );
}
