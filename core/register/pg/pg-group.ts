/**
 * A SQLite query group's shape on PostgreSQL: the same members, parameters and results, each
 * method answering with a Promise (a generator with an AsyncIterable). The same mapping as the
 * register port's `Async<G>` (register.ts), written here so each PostgreSQL group is checked
 * against its SQLite counterpart by the compiler: a renamed method, a new parameter or a changed
 * result on the SQLite side fails to type-check here.
 */
export type PgGroup<G> = {
  readonly [K in keyof G]: G[K] extends (...args: infer A) => Generator<infer T>
    ? (...args: A) => AsyncIterable<T>
    : G[K] extends (...args: infer A) => infer R
      ? (...args: A) => Promise<R>
      : never;
};
