import path from 'node:path';
import { readBatchFile } from './batch-scan.ts';
import type { Problem } from './problems.ts';

const MAX_PDF_SNIFF_BYTES = 64 * 1024 * 1024;
const MAX_LISTED = 10;

/**
 * Files in a batch that are not pages, metadata or ignored system files: never processed, but the
 * operator is told. A PDF gets its own reason (encrypted, damaged or simply not an image), since
 * a scanner's PDF export is the most common such file.
 */
export async function describeOtherFiles(dir: string, files: string[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  const rest: string[] = [];
  for (const file of files) {
    if (path.extname(file).toLowerCase() !== '.pdf') {
      rest.push(file);
      continue;
    }
    problems.push({ code: await classifyPdf(dir, file), params: { file } });
  }
  if (rest.length > 0) {
    const listed = rest.slice(0, MAX_LISTED).map((f) => `"${f}"`);
    if (rest.length > MAX_LISTED) listed.push(`+${rest.length - MAX_LISTED}`);
    problems.push({ code: 'batch_other_files', params: { files: listed.join(', ') } });
  }
  return problems;
}

async function classifyPdf(dir: string, file: string): Promise<string> {
  const data = await readBatchFile(dir, file, MAX_PDF_SNIFF_BYTES).catch(() => null);
  if (!data || data.subarray(0, 1024).indexOf('%PDF-') < 0) return 'batch_pdf_broken';
  if (data.subarray(Math.max(0, data.length - 2048)).indexOf('%%EOF') < 0) return 'batch_pdf_broken';
  if (data.indexOf('/Encrypt') >= 0) return 'batch_pdf_encrypted';
  return 'batch_pdf_file';
}

/** What a file that is not a JPEG, PNG or TIFF really holds, judged from its first bytes. */
export function contentKindOf(head: string): 'pdf' | 'svg' | 'other' {
  if (head.startsWith('%PDF')) return 'pdf';
  if (/^(<\?xml|<svg|\.\.\.<svg|<!--)/i.test(head.trimStart())) return 'svg';
  return 'other';
}
