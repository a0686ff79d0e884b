/**
 * Where the words of a query sit on a page image: OCR words (with boxes) matched against the
 * query's terms with the same spelling key the index uses, so "Surabaya" marks "Soerabaja",
 * and with the same root keys, so "cerita" marks "bercerita" (an unquoted single word).
 * A phrase marks only runs of consecutive words in reading order.
 */
import type { Box, OcrPageResult } from '../../core/ocr.types.ts';
import { spellingKey, wordRunRegExp } from '../../search/ejaan.ts';
import { queryRootKeys, rootKeys } from '../../search/indonesian-stem.ts';
import { parseQuery } from '../../search/query-parse.ts';

export interface WordHit {
  /** Box in the pixels of the recognised (full-resolution) page image. */
  box: Box;
  text: string;
}

interface Token {
  key: string;
  run: string;
  box: Box;
  text: string;
}

/** Every word of the page in reading order, split like the index splits text. */
function tokens(ocr: OcrPageResult): Token[] {
  const out: Token[] = [];
  for (const block of ocr.blocks)
    for (const para of block.paragraphs)
      for (const line of para.lines)
        for (const word of line.words) {
          for (const run of word.text.match(wordRunRegExp()) ?? []) {
            out.push({ key: spellingKey(run), run, box: word.bbox, text: word.text });
          }
        }
  return out;
}

export function findWordHits(ocr: OcrPageResult, q: string): WordHit[] {
  const terms = parseQuery(q);
  if (terms.length === 0) return [];
  const toks = tokens(ocr);
  const hit = new Set<number>();
  for (const term of terms) {
    const keys = term.words.map(spellingKey);
    const roots = term.words.length === 1 && !term.quoted ? queryRootKeys(term.words[0] as string) : null;
    if (roots) {
      const wanted = new Set(roots);
      toks.forEach((tok, i) => {
        if (rootKeys(tok.run).some((k) => wanted.has(k))) hit.add(i);
      });
    }
    for (let i = 0; i + keys.length <= toks.length; i++) {
      const ok = keys.every((k, j) => {
        const tok = toks[i + j] as Token;
        const last = j === keys.length - 1;
        return last && term.prefix ? tok.key.startsWith(k) : tok.key === k;
      });
      if (ok) for (let j = 0; j < keys.length; j++) hit.add(i + j);
    }
  }
  // One box per OCR word even when it holds two runs ("Soerabaja-Batavia").
  const seen = new Set<Box>();
  const result: WordHit[] = [];
  for (const i of [...hit].sort((a, b) => a - b)) {
    const tok = toks[i] as Token;
    if (seen.has(tok.box)) continue;
    seen.add(tok.box);
    result.push({ box: tok.box, text: tok.text });
  }
  return result;
}
