/**
 * HTML snippets from FTS5 `highlight()` output. FTS5 wraps matches in the two marker characters
 * below (private use, stripped from all indexed text, so they only ever mean "match"); we then
 * escape the text and turn marked words into <mark>. Escaping after highlighting is the only
 * safe order: raw <mark> tags from FTS5 would be escaped away, or page text would leak as HTML.
 */

import { wordRuns } from './ejaan.ts';

export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';
const MARKERS_RE = /[\uE000\uE001]/g;

export const SNIPPET_WORDS = 24;
// Words of context shown before the first match in the window.
const LEAD_WORDS = 4;

/** Removes marker characters so text from outside can never forge a match. */
export function stripMarkers(text: string): string {
  return text.replace(MARKERS_RE, '');
}

/**
 * @param highlighted the original text with markers around FTS5 matches
 * @param foldedHighlighted `foldText(original)` with markers, when matches may exist only in
 *   the folded spelling; its i-th word is the key of the original's i-th word, so a marked
 *   folded word marks the original word at the same index.
 * @param isForm marks a word that is another form of a query word (`bercerita` for `cerita`):
 *   root matches have no aligned column to highlight.
 */
export function buildSnippet(
  highlighted: string,
  foldedHighlighted?: string | null,
  isForm?: (word: string) => boolean,
): string {
  const original = readMarks(highlighted);
  const runs = wordRuns(original.text);
  const hit = runs.map((r) => original.covers(r.start, r.end));
  if (foldedHighlighted) {
    const folded = readMarks(foldedHighlighted);
    const foldedRuns = wordRuns(folded.text);
    // Counts differ only if the folded copy is stale or foreign; then it cannot be aligned.
    if (foldedRuns.length === runs.length) {
      foldedRuns.forEach((r, i) => {
        if (folded.covers(r.start, r.end)) hit[i] = true;
      });
    }
  }
  if (isForm) {
    runs.forEach((r, i) => {
      if (!hit[i] && isForm(original.text.slice(r.start, r.end))) hit[i] = true;
    });
  }
  return render(original.text, runs, hit);
}

function readMarks(highlighted: string): { text: string; covers: (start: number, end: number) => boolean } {
  let text = '';
  const marked: boolean[] = [];
  let inside = false;
  for (const ch of highlighted) {
    if (ch === MARK_OPEN) inside = true;
    else if (ch === MARK_CLOSE) inside = false;
    else {
      text += ch;
      for (let k = 0; k < ch.length; k++) marked.push(inside);
    }
  }
  return {
    text,
    covers: (start, end) => {
      for (let i = start; i < end; i++) if (marked[i]) return true;
      return false;
    },
  };
}

function render(text: string, runs: Array<{ start: number; end: number }>, hit: boolean[]): string {
  const n = runs.length;
  if (n === 0) return escapeHtml(squash(text).slice(0, 200)).trim();
  const [from, to] = bestWindow(hit);
  const out: string[] = [];
  const textStart = from === 0 ? 0 : (runs[from]?.start ?? 0);
  const textEnd = to === n ? text.length : (runs[to - 1]?.end ?? text.length);
  if (textStart > 0) out.push('… ');
  let pos = textStart;
  for (let i = from; i < to; i++) {
    const run = runs[i];
    if (!run) continue;
    out.push(escapeHtml(squash(text.slice(pos, run.start))));
    const word = escapeHtml(text.slice(run.start, run.end));
    out.push(hit[i] ? `<mark>${word}</mark>` : word);
    pos = run.end;
  }
  out.push(escapeHtml(squash(text.slice(pos, textEnd))));
  if (textEnd < text.length) out.push(' …');
  return out.join('').trim();
}

/** Window of SNIPPET_WORDS words holding the most matches, starting a little before one. */
function bestWindow(hit: boolean[]): [number, number] {
  const n = hit.length;
  const size = Math.min(SNIPPET_WORDS, n);
  const before = [0];
  for (let i = 0; i < n; i++) before.push((before[i] ?? 0) + (hit[i] ? 1 : 0));
  let best = 0;
  let bestCount = -1;
  for (let i = 0; i < n; i++) {
    if (!hit[i]) continue;
    const start = Math.max(0, Math.min(i - LEAD_WORDS, n - size));
    const count = (before[start + size] ?? 0) - (before[start] ?? 0);
    if (count > bestCount) {
      best = start;
      bestCount = count;
    }
  }
  return [best, best + size];
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ');
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
