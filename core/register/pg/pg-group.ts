/**
 * A SQLite query group's shape on PostgreSQL: every method answers with a Promise, and a method
 * that yields rows one by one (a generator) answers with an AsyncIterable. The same mapping as the
 * register port's `Async<G>` (register.ts), so each PostgreSQL group is checked, method by method,
 * against the SQLite group it stands in for: same names, parameters and results.
 */
export type PgGroup<G> = {
  readonly [K in keyof G]: G[K] extends (...args: infer A) => Generator<infer T>
    ? (...args: A) => AsyncIterable<T>
    : G[K] extends (...args: infer A) => infer R
      ? (...args: A) => Promise<R>
      : never;
};

/** rowCount of a write, 0 when the driver reports none. */
export const changes = (r: { rowCount: number | null }): number => r.rowCount ?? 0;
