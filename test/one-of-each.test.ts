import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Rules Pindai keeps in one place, found by a source scan: a second copy written next to the
 * first (an error middleware in a router, a `{param}` filler in a view, an index write in a route)
 * shows up here by name. Specs beside the code and the benchmark's synthetic data are left out.
 */

const ROOT = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.tsx?$/.test(e.name) && !/\.(spec|test)\.tsx?$|\.d\.ts$/.test(e.name)) out.push(rel);
  }
  return out;
}

const ALL = ['core', 'ingest', 'search', 'workers', 'server', 'scripts']
  .flatMap(sourceFiles)
  .filter((f) => !f.startsWith(path.join('scripts', 'bench')));

/** The files whose text matches `re`. */
const filesWith = (re: RegExp) => ALL.filter((f) => re.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));

describe('one of each', () => {
  it('one error middleware', () => {
    expect(
      filesWith(/ErrorRequestHandler|\(\s*_?err\w*\s*,\s*_?req\w*\s*,\s*_?res\w*\s*,\s*_?next\w*\s*\)/),
    ).toEqual([path.join('server', 'http-error.ts')]);
  });

  it('one message lookup: only core/messages.ts fills {params}', () => {
    expect(filesWith(/\\\{\(\\w\+\)\\\}/)).toEqual([path.join('core', 'messages.ts')]);
  });

  it('one multer setup', () => {
    expect(filesWith(/from ['"]multer['"]/)).toEqual([path.join('server', 'staff', 'multipart.ts')]);
  });

  it('one way into the search index: indexItem (adapters and the port aside)', () => {
    const writers = filesWith(/\.upsertItem\(/).filter(
      (f) => !/search\.search-index\.ts$|\.search-index\.ts$/.test(f),
    );
    expect(writers).toEqual([path.join('search', 'index-item.ts')]);
  });

  it('one public-item gate: server code asks public-item.ts, not the access rule itself', () => {
    const server = filesWith(/publicAccessOf\(/).filter((f) => f.startsWith('server'));
    expect(server).toEqual([path.join('server', 'collection', 'public-item.ts')]);
  });

  it('one app composition: the runner and the batch entry are wired in scripts/pindai-context.ts', () => {
    const wiring = /createJobRunner\(|acceptDepsOf\(/;
    const support = sourceFiles(path.join('test', 'support')).filter((f) =>
      wiring.test(fs.readFileSync(path.join(ROOT, f), 'utf8')),
    );
    const app = filesWith(wiring).filter((f) => !f.startsWith('workers') && !f.startsWith('ingest'));
    expect([...app, ...support]).toEqual([path.join('scripts', 'pindai-context.ts')]);
  });

  it('one store of originals: only ingest/store-original.ts writes an original', () => {
    const keyUsers = filesWith(/keys\.(original|replacementOriginal)\(/);
    expect(
      keyUsers.every((f) => f.startsWith('ingest') || f.startsWith('scripts') || f.startsWith('workers')),
    ).toBe(true);
    const writers = filesWith(/\.put(File)?\(/).filter((f) => f.startsWith('ingest'));
    expect(writers).toEqual([path.join('ingest', 'store-original.ts')]);
  });
});
