import type { Problem } from './problems.ts';

const MAX_LISTED = 10;

/**
 * Files in a batch that are not pages, metadata or ignored system files: never processed, but the
 * operator is told which.
 */
export function describeOtherFiles(files: string[]): Problem[] {
  if (files.length === 0) return [];
  const listed = files.slice(0, MAX_LISTED).map((f) => `"${f}"`);
  if (files.length > MAX_LISTED) listed.push(`+${files.length - MAX_LISTED}`);
  return [{ code: 'batch_other_files', params: { files: listed.join(', ') } }];
}

/**
 * What a file that is not a JPEG, PNG, TIFF or PDF really holds, judged from its first bytes
 * (`head`, non-printable bytes as dots) and whether its start reads as plain text.
 */
export function contentKindOf(head: string, text = false): 'svg' | 'text' | 'other' {
  if (/^(<\?xml|<svg|\.\.\.<svg|<!--)/i.test(head.trimStart())) return 'svg';
  return text ? 'text' : 'other';
}
