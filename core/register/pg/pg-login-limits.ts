import type pg from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import {
  type LoginLimitRules,
  type LoginLimits,
  loginLimitsOn,
  LOGIN_LIMITS_TABLE as TABLE,
} from '../login-limits.ts';

/**
 * Failed staff sign-ins on PostgreSQL: the rules of ../login-limits.ts on rate-limiter-flexible's
 * RateLimiterPostgres, in the table PG migration 8 made (the library's own layout: key, points,
 * expire in epoch ms; `tableCreated`, so it never creates one itself), seen by every machine on
 * the register. The library's hourly sweep of expired rows is off: failed() drops them, as on SQLite,
 * and no timer is left behind by each limiter made.
 */
export function createPgLoginLimits(pool: pg.Pool, rules: LoginLimitRules): LoginLimits {
  return loginLimitsOn(
    {
      limiter: (opts) =>
        new RateLimiterPostgres({
          ...opts,
          storeClient: pool,
          storeType: 'pool',
          tableName: TABLE,
          tableCreated: true,
          clearExpiredByTimeout: false,
        }),
      async locked(prefix, now, points) {
        // starts_with, not LIKE: a prefix holds JSON quotes and may hold % or _ from a name.
        const { rows } = await pool.query<{ key: string; expire: number }>(
          `SELECT key, expire FROM ${TABLE} WHERE starts_with(key, $1) AND expire > $2 AND points > $3`,
          [prefix, now, points],
        );
        return rows;
      },
      async purge(now) {
        await pool.query(`DELETE FROM ${TABLE} WHERE expire < $1`, [now]);
      },
      async clear(key, prefix) {
        return (
          (await pool.query(`DELETE FROM ${TABLE} WHERE key = $1 OR starts_with(key, $2)`, [key, prefix]))
            .rowCount ?? 0
        );
      },
    },
    rules,
  );
}
