import { RateLimiterRes, RateLimiterSQLite } from 'rate-limiter-flexible';
import type { Db } from './open-register.ts';

/** One count of failed sign-ins. Times in milliseconds. */
export interface LoginLimitRule {
  /** Failures allowed; the `max`-th closes the subject for `blockMs`. At least 1. */
  max: number;
  /** A count this old (from its first failure) starts over. */
  windowMs: number;
  /** How long the subject stays closed once `max` is reached. */
  blockMs: number;
}

/** The classic three counts of a sign-in form (rate-limiter-flexible's "login endpoint protection"). */
export interface LoginLimitRules {
  /** Failures from one client address, whatever the account: one machine trying many accounts. */
  address: LoginLimitRule;
  /** Failures of one account from one address; a successful sign-in there starts it over. */
  accountAddress: LoginLimitRule;
  /** Failures of one account from every address: guesses spread over many addresses. */
  account: LoginLimitRule;
}

export type LoginLimitRuleName = keyof LoginLimitRules;

/**
 * Failed staff sign-ins, kept in the register.
 *
 * A store MUST keep its counts where every process on the same register sees them, across
 * restarts; MUST count an account by its normalised name (`loginAccount`) whether or not it exists,
 * so limits do not tell which names are real; and MUST NOT count successes, except that a success
 * clears that account's count at that address. `address` is the client address as the web server
 * determined it (trusting X-Forwarded-For only from a configured proxy).
 */
export interface LoginLimits {
  /** Before a password is checked: the rule that refuses this attempt and ms until it may be retried; null when it may go ahead. */
  closed(account: string, address: string): Promise<{ rule: LoginLimitRuleName; retryMs: number } | null>;
  /** After a wrong password, an unknown or a disabled account. */
  failed(account: string, address: string): Promise<void>;
  /**
   * After a right password. Only the account's count at this address starts over: its count over
   * all addresses is a stranger's spread-out guesses, which the owner signing in does not forgive.
   */
  succeeded(account: string, address: string): Promise<void>;
  /** Accounts closed now, by any rule that names them, with ms left (the longest). */
  lockedAccounts(): Promise<Map<string, number>>;
  /** An admin's unlock: forget every count of the account (everywhere, from every address). Returns how many. */
  unlock(account: string): Promise<number>;
}

/** The name an account is counted under: sign-in is case-insensitive, so the count is too. */
export const loginAccount = (name: string): string => name.trim().toLowerCase().slice(0, 40);

const TABLE = 'login_limits';
const PURGE_EVERY_MS = 60_000;

/**
 * The SQLite store: rate-limiter-flexible's RateLimiterSQLite on the register's own handle, in the
 * table migration 8 made (hence `tableCreated`: the library would otherwise create it
 * asynchronously, and refuse calls made before that finished). The library's key is
 * "<rule>:<subject>"; an account at an address is the subject `["account","address"]` (JSON, so no
 * name can fake the separator). A PostgreSQL register swaps in RateLimiterPostgres and the two
 * queries below.
 */
export function createLoginLimits(db: Db, rules: LoginLimitRules): LoginLimits {
  const limiter = (name: LoginLimitRuleName) => {
    const r = rules[name];
    return new RateLimiterSQLite({
      storeClient: db,
      storeType: 'better-sqlite3',
      tableName: TABLE,
      tableCreated: true,
      keyPrefix: name,
      // The library closes on the first point past `points`: the max-th failure, as documented.
      points: Math.max(1, r.max) - 1,
      duration: r.windowMs / 1000,
      blockDuration: r.blockMs / 1000,
    });
  };
  const limiters = {
    address: limiter('address'),
    accountAddress: limiter('accountAddress'),
    account: limiter('account'),
  } satisfies Record<LoginLimitRuleName, RateLimiterSQLite>;
  const subjects = (account: string, address: string): Record<LoginLimitRuleName, string> => {
    const a = loginAccount(account);
    return { address, accountAddress: JSON.stringify([a, address]), account: a };
  };
  /** The stored key prefix of every count of one account at any address. */
  const pairPrefix = (a: string) => limiters.accountAddress.getKey(`${JSON.stringify([a]).slice(0, -1)},`);
  const names = Object.keys(limiters) as LoginLimitRuleName[];

  const locked = db.prepare<
    [{ prefix: string; now: number; points: number }],
    { key: string; expire: number }
  >(
    `SELECT key, expire FROM ${TABLE}
     WHERE substr(key, 1, length(@prefix)) = @prefix AND expire > @now AND points > @points`,
  );
  const purge = db.prepare<[number]>(`DELETE FROM ${TABLE} WHERE expire < ?`);
  const clear = db.prepare<[{ key: string; prefix: string }]>(
    `DELETE FROM ${TABLE} WHERE key = @key OR substr(key, 1, length(@prefix)) = @prefix`,
  );
  let purgedAt = 0;

  return {
    async closed(account, address) {
      const s = subjects(account, address);
      let worst: { rule: LoginLimitRuleName; retryMs: number } | null = null;
      for (const name of names) {
        const res = await limiters[name].get(s[name]);
        if (!res || res.consumedPoints <= limiters[name].points) continue;
        const retryMs = Math.max(res.msBeforeNext, 1);
        if (!worst || retryMs > worst.retryMs) worst = { rule: name, retryMs };
      }
      return worst;
    },
    async failed(account, address) {
      const s = subjects(account, address);
      for (const name of names) {
        // A rejection with a RateLimiterRes is the count closing, not an error.
        await limiters[name].consume(s[name]).catch((e: unknown) => {
          if (!(e instanceof RateLimiterRes)) throw e;
        });
      }
      // Expired counts are ignored anyway; dropping them keeps a stream of made-up names small.
      const now = Date.now();
      if (now - purgedAt > PURGE_EVERY_MS) {
        purgedAt = now;
        purge.run(now);
      }
    },
    async succeeded(account, address) {
      await limiters.accountAddress.delete(subjects(account, address).accountAddress);
    },
    async lockedAccounts() {
      const out = new Map<string, number>();
      const now = Date.now();
      for (const name of ['account', 'accountAddress'] as const) {
        const l = limiters[name];
        for (const r of locked.all({ prefix: l.getKey(''), now, points: l.points })) {
          const subject = l.parseKey(r.key);
          const a = name === 'account' ? subject : (JSON.parse(subject) as [string, string])[0];
          out.set(a, Math.max(out.get(a) ?? 0, r.expire - now));
        }
      }
      return out;
    },
    async unlock(account) {
      const a = loginAccount(account);
      return clear.run({ key: limiters.account.getKey(a), prefix: pairPrefix(a) }).changes;
    },
  };
}
