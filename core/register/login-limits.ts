import { RateLimiterRes, RateLimiterSQLite, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
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

/** The register's table of counts (migration 8 on either engine). */
export const LOGIN_LIMITS_TABLE = 'login_limits';
const TABLE = LOGIN_LIMITS_TABLE;
const PURGE_EVERY_MS = 60_000;

/** The options of one rule's limiter, as every store of the library takes them. */
export interface LoginLimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
  blockDuration: number;
}

/**
 * Where the counts are kept: the library's limiter for one rule on the register's table
 * `login_limits` (key = "<rule>:<subject>", points, expire = epoch ms), and the three statements
 * the library has no call for. Each register engine gives one; the rules on top are shared.
 */
export interface LoginLimitStore {
  limiter(opts: LoginLimiterOptions): RateLimiterStoreAbstract;
  /** Keys that start with `prefix` (compared exactly, no pattern), unexpired at `now`, past `points`. */
  locked(prefix: string, now: number, points: number): Promise<{ key: string; expire: number }[]>;
  /** Drop counts that expired before `now`. */
  purge(now: number): Promise<void>;
  /** Drop the count `key` and every count whose key starts with `prefix`; how many went. */
  clear(key: string, prefix: string): Promise<number>;
}

/**
 * The SQLite store: rate-limiter-flexible's RateLimiterSQLite on the register's own handle, in the
 * table migration 8 made (hence `tableCreated`: the library would otherwise create it
 * asynchronously, and refuse calls made before that finished). A PostgreSQL register uses
 * RateLimiterPostgres (pg/pg-login-limits.ts).
 */
export function createLoginLimits(db: Db, rules: LoginLimitRules): LoginLimits {
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
  return loginLimitsOn(
    {
      limiter: (opts) =>
        new RateLimiterSQLite({
          ...opts,
          storeClient: db,
          storeType: 'better-sqlite3',
          tableName: TABLE,
          tableCreated: true,
        }),
      locked: async (prefix, now, points) => locked.all({ prefix, now, points }),
      purge: async (now) => {
        purge.run(now);
      },
      clear: async (key, prefix) => clear.run({ key, prefix }).changes,
    },
    rules,
  );
}

/**
 * The rules on a store. The library's key is "<rule>:<subject>"; an account at an address is the
 * subject `["account","address"]` (JSON, so no name can fake the separator). Both engines keep the
 * same keys, so counts move with a register copied from one to the other.
 */
export function loginLimitsOn(store: LoginLimitStore, rules: LoginLimitRules): LoginLimits {
  const limiter = (name: LoginLimitRuleName) => {
    const r = rules[name];
    return store.limiter({
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
  } satisfies Record<LoginLimitRuleName, RateLimiterStoreAbstract>;
  const subjects = (account: string, address: string): Record<LoginLimitRuleName, string> => {
    const a = loginAccount(account);
    return { address, accountAddress: JSON.stringify([a, address]), account: a };
  };
  /** The stored key prefix of every count of one account at any address. */
  const pairPrefix = (a: string) => limiters.accountAddress.getKey(`${JSON.stringify([a]).slice(0, -1)},`);
  const names = Object.keys(limiters) as LoginLimitRuleName[];
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
        await store.purge(now);
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
        for (const r of await store.locked(l.getKey(''), now, l.points)) {
          const subject = l.parseKey(r.key);
          const a = name === 'account' ? subject : (JSON.parse(subject) as [string, string])[0];
          out.set(a, Math.max(out.get(a) ?? 0, r.expire - now));
        }
      }
      return out;
    },
    async unlock(account) {
      const a = loginAccount(account);
      return store.clear(limiters.account.getKey(a), pairPrefix(a));
    },
  };
}
