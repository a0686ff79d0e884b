import { coerceError } from '../errors.ts';
import type { Register } from '../register/register.ts';
import type { ReplicaCopy } from '../register/replica.queries.ts';
import type { ObjectStore } from '../store/object-store.ts';

export interface ReplicatorOptions {
  /** Keys copied per round before the ledger is asked again. Default 50. */
  batch?: number;
  /** How often the loop looks for due copies when nobody pokes it. Default 2 s. */
  intervalMs?: number;
  /** Retry after a failed copy: base · 2^attempts, at most max. Defaults 2 s and 10 min. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

export interface ReplicationRound {
  copied: number;
  /** Already on the replica with the same SHA-256: nothing sent. */
  present: number;
  /** Gone from the primary (removed, or its put never finished): nothing to copy. */
  dropped: number;
  failed: number;
  lastError: string | null;
}

export interface Replicator {
  /** One pass over the copies due now; stops at the first failure (the replica is likely down). */
  runOnce(): Promise<ReplicationRound>;
  /** Rounds until nothing is due now or a round fails; what `pindai replica sync` and `ingest` wait on. */
  drain(): Promise<ReplicationRound>;
  /** The background loop of `pindai serve` and `pindai worker`. */
  start(): void;
  poke(): void;
  stop(): Promise<void>;
}

type Outcome = 'copied' | 'present' | 'dropped';

/**
 * Copies what the ledger holds pending from the primary to the replica, originals first, and
 * marks a key done only after reading the copy back from the replica with the SHA-256 the primary
 * stored. It never deletes from the replica, and never overwrites a replica copy with primary
 * bytes that no longer match their recorded hash (that would turn the good copy into a second
 * damaged one). Several processes may run one each: a key copied twice is the same bytes twice.
 */
export function createReplicator(
  deps: { ledger: Register['replica']; primary: ObjectStore; replica: ObjectStore },
  opts: ReplicatorOptions = {},
): Replicator {
  const { ledger, primary, replica } = deps;
  const batch = opts.batch ?? 50;
  const base = opts.backoffBaseMs ?? 2000;
  const max = opts.backoffMaxMs ?? 600_000;

  async function copyOne(c: ReplicaCopy): Promise<Outcome> {
    const there = await primary.head(c.key);
    if (!there) {
      await ledger.drop(c.key, c.version);
      return 'dropped';
    }
    // A key whose put died mid-way has no recorded hash: the primary's bytes now are what it holds.
    const expected = c.sha256 ?? (await primary.sha256(c.key));
    const held = await replica.head(c.key);
    if (held) {
      if (held.size === there.size && (await replica.sha256(c.key)) === expected) {
        await ledger.copied(c.key, c.version, expected);
        return 'present';
      }
      if ((await primary.sha256(c.key)) !== expected)
        throw new Error(`primary copy of ${c.key} no longer matches its recorded SHA-256; replica copy kept`);
    }
    await replica.put(c.key, await primary.get(c.key));
    const readBack = await replica.sha256(c.key);
    if (readBack !== expected)
      throw new Error(
        `replica copy of ${c.key} reads back ${readBack.slice(0, 12)}…, expected ${expected.slice(0, 12)}…`,
      );
    await ledger.copied(c.key, c.version, expected);
    return 'copied';
  }

  async function runOnce(): Promise<ReplicationRound> {
    const round: ReplicationRound = { copied: 0, present: 0, dropped: 0, failed: 0, lastError: null };
    for (const c of await ledger.due(Date.now(), batch)) {
      try {
        round[await copyOne(c)]++;
      } catch (err) {
        const message = coerceError(err).message;
        round.failed++;
        round.lastError = message;
        await ledger.failed(c.key, c.version, message, Date.now() + Math.min(max, base * 2 ** c.attempts));
        opts.log?.warn({ key: c.key, err: message }, 'replica copy failed; will retry');
        break;
      }
    }
    return round;
  }

  async function drain(): Promise<ReplicationRound> {
    const total: ReplicationRound = { copied: 0, present: 0, dropped: 0, failed: 0, lastError: null };
    for (;;) {
      const r = await runOnce();
      total.copied += r.copied;
      total.present += r.present;
      total.dropped += r.dropped;
      total.failed += r.failed;
      total.lastError = r.lastError ?? total.lastError;
      if (r.failed > 0 || r.copied + r.present + r.dropped === 0) return total;
    }
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let again = false;
  let stopped = true;
  const tick = () => {
    if (stopped) return;
    if (running !== null) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    running = drain()
      .catch((err) => opts.log?.warn({ err: coerceError(err).message }, 'replicator round failed'))
      .finally(() => {
        running = null;
        if (stopped) return;
        if (again) {
          again = false;
          setImmediate(tick);
        } else timer = setTimeout(tick, opts.intervalMs ?? 2000);
      });
  };
  return {
    runOnce,
    drain,
    start() {
      stopped = false;
      tick();
    },
    poke: () => tick(),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
