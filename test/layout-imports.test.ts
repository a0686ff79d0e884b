import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import table of README "Layout", checked on the source: which of our folders each folder
 * may import, and that only workers/engines/ loads the image, OCR and PDF libraries. A source scan
 * (every import and dynamic import() in every .ts/.tsx file), so a new file cannot slip past it.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const FOLDERS = ['core', 'ingest', 'search', 'workers', 'server', 'scripts'] as const;
type Folder = (typeof FOLDERS)[number];

/** Our folders each may import (besides itself). */
const MAY_IMPORT: Record<Folder, readonly Folder[]> = {
  core: [],
  ingest: ['core'],
  search: ['core'],
  workers: ['core', 'search'],
  server: ['core', 'ingest', 'search'],
  scripts: ['core', 'ingest', 'search', 'workers', 'server'], // and test/ (bench fixtures)
};

/** Libraries that only engines load: image decoding, OCR, PDF writing and rendering. */
const ENGINE_LIBS = /^(sharp|pdf-lib|@pdf-lib\/.*|tesseract\.js|@hyzyla\/pdfium)$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name) && !/\.d\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
    specs.push(m[1] as string);
  }
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) specs.push(m[1] as string);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1] as string);
  return specs;
}

/** Each breach as "file → import", for every source file (specs beside the code included). */
function breaches(): string[] {
  const found: string[] = [];
  for (const folder of FOLDERS) {
    for (const file of sourceFiles(path.join(ROOT, folder))) {
      const rel = path.relative(ROOT, file);
      const isEngine = rel.startsWith(`workers${path.sep}engines${path.sep}`);
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) {
          const target = path.relative(ROOT, path.resolve(path.dirname(file), spec)).split(path.sep)[0];
          const ours = (FOLDERS as readonly string[]).includes(target ?? '') ? (target as Folder) : null;
          // scripts/ (the CLI, recovery, bench) may import anything, test/ fixtures included.
          if (folder === 'scripts') continue;
          if (ours === null && !/\.spec\.tsx?$/.test(rel)) found.push(`${rel} → ${spec}`);
          if (ours !== null && ours !== folder && !MAY_IMPORT[folder].includes(ours))
            found.push(`${rel} → ${spec}`);
        } else if (ENGINE_LIBS.test(spec) && !isEngine && folder !== 'scripts') {
          found.push(`${rel} → ${spec}`);
        }
      }
    }
  }
  return found;
}

describe('layout: who may import what', () => {
  it('the scan sees imports (it finds the engines loading sharp and pdf-lib)', () => {
    const engines = sourceFiles(path.join(ROOT, 'workers', 'engines')).flatMap(importsOf);
    expect(engines).toEqual(expect.arrayContaining(['sharp', 'pdf-lib']));
  });

  it('server/ imports no workers/ code, no sharp and no pdf-lib; every folder keeps to its table', () => {
    expect(breaches()).toEqual([]);
  });
});
