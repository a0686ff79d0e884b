import type { ReplicaConfig } from '../config.ts';
import type { Register } from '../register/register.ts';

/**
 * The replica as /healthz, the staff home and `pindai replica status` show it. `healthy` is false
 * when a copy has waited longer than PINDAI_REPLICA_MAX_LAG, or the last verification found
 * replica copies that do not match their manifests.
 */
export interface ReplicaHealth {
  configured: boolean;
  pending: number;
  oldestPendingSeconds: number | null;
  /** Pending copies whose last attempt failed, and that error (the replica down, a full disk). */
  failing: number;
  lastError: string | null;
  maxLagSeconds: number | null;
  /** Lag over PINDAI_REPLICA_MAX_LAG. */
  behind: boolean;
  healthy: boolean;
  lastSync: { at: string; [k: string]: unknown } | null;
  lastVerify: { at: string; checked: number; mismatches: number } | null;
}

/** The replica's lag and last results from the register (no call to the replica itself). */
export async function replicaHealth(
  register: Pick<Register, 'replica'>,
  replica: ReplicaConfig | null,
  now: number = Date.now(),
): Promise<ReplicaHealth> {
  if (!replica) {
    return {
      configured: false,
      pending: 0,
      oldestPendingSeconds: null,
      failing: 0,
      lastError: null,
      maxLagSeconds: null,
      behind: false,
      healthy: true,
      lastSync: null,
      lastVerify: null,
    };
  }
  const lag = await register.replica.lag();
  const sync = await register.replica.state('sync');
  const verify = await register.replica.state('verify');
  const oldest =
    lag.oldestQueuedAt === null ? null : Math.max(0, Math.round((now - lag.oldestQueuedAt) / 1000));
  const behind = oldest !== null && oldest * 1000 > replica.maxLagMs;
  const lastVerify = verify
    ? {
        at: new Date(verify.at).toISOString(),
        checked: Number(verify.value.checked ?? 0),
        mismatches: Number(verify.value.mismatches ?? 0),
      }
    : null;
  return {
    configured: true,
    pending: lag.pending,
    oldestPendingSeconds: oldest,
    failing: lag.failing,
    lastError: lag.lastError,
    maxLagSeconds: Math.round(replica.maxLagMs / 1000),
    behind,
    healthy: !behind && (lastVerify?.mismatches ?? 0) === 0,
    lastSync: sync ? { ...sync.value, at: new Date(sync.at).toISOString() } : null,
    lastVerify,
  };
}

/** The `replica` field of /healthz: lag figures only (no paths, hosts or error texts for the public). */
export function replicaHealthz(h: ReplicaHealth): {
  configured: boolean;
  pending: number;
  oldestPendingSeconds: number | null;
  healthy: boolean;
} {
  return {
    configured: h.configured,
    pending: h.pending,
    oldestPendingSeconds: h.oldestPendingSeconds,
    healthy: h.healthy,
  };
}
