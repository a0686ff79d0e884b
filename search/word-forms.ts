/**
 * How well a stemmer conflates Indonesian word forms: over a labelled list of word pairs (forms of
 * one root that must match, and look-alikes that must not), precision and recall of "the two words
 * get the same stem". Used by `npm run bench:relevance` and its test.
 */
export interface WordFamily {
  root: string;
  /** Inflected and derived forms that a search for the root (and each other) must find. */
  forms: string[];
}

export interface WordPair {
  a: string;
  b: string;
  /** true: the same word family (must conflate); false: different words (must not). */
  same: boolean;
  note?: string;
}

export interface ConflationReport {
  pairs: number;
  precision: number;
  recall: number;
  /** Pairs that should conflate and do not. */
  missed: WordPair[];
  /** Pairs that must not conflate and do. */
  wrong: WordPair[];
}

/** Every (root, form) pair of each family, and the look-alike pairs, labelled. */
export function pairsOf(families: WordFamily[], distinct: WordPair[]): WordPair[] {
  return [
    ...families.flatMap((f) => f.forms.map((form) => ({ a: f.root, b: form, same: true }))),
    ...distinct,
  ];
}

/** `same(a, b)`: whether the search treats a and b as forms of one word (e.g. equal stems). */
export function measureConflation(
  same: (a: string, b: string) => boolean,
  pairs: WordPair[],
): ConflationReport {
  const missed: WordPair[] = [];
  const wrong: WordPair[] = [];
  let tp = 0;
  for (const p of pairs) {
    const conflated = same(p.a, p.b);
    if (p.same && conflated) tp++;
    else if (p.same) missed.push(p);
    else if (conflated) wrong.push(p);
  }
  const positives = pairs.filter((p) => p.same).length;
  return {
    pairs: pairs.length,
    precision: tp + wrong.length === 0 ? 1 : tp / (tp + wrong.length),
    recall: positives === 0 ? 1 : tp / positives,
    missed,
    wrong,
  };
}
