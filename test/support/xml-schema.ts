import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCHEMAS = path.resolve(import.meta.dirname, '../fixtures/schemas');

/**
 * Validate `xml` against one of the official schemas in test/fixtures/schemas with xmllint
 * (libxml2-utils, installed by scripts/ensure-system-deps.sh), offline. Returns xmllint's
 * complaints; empty when the document is valid.
 */
export function schemaErrors(xml: string, schema: 'alto-4-4.xsd' | 'mets.xsd' | 'MARC21slim.xsd'): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-xsd-'));
  try {
    const file = path.join(dir, 'doc.xml');
    fs.writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', path.join(SCHEMAS, schema), file], {
      encoding: 'utf8',
    });
    if (r.error) throw r.error;
    if (r.status === 0) return [];
    return r.stderr
      .split('\n')
      .filter((l) => l.trim() && !/ validates$/.test(l))
      .map((l) => l.replace(`${file}:`, 'line '));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
