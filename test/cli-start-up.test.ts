import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/temp-dir.ts';

const BIN = path.resolve(import.meta.dirname, '../bin/pindai.js');

/** Runs `pindai <args>` and returns the URLs of the modules it loaded (a module resolve hook notes them). */
function modulesLoadedBy(args: string[]): { out: string; loaded: string[] } {
  const root = tempDir();
  const log = path.join(root, 'loaded.txt');
  const hooks = path.join(root, 'hooks.mjs');
  fs.writeFileSync(
    hooks,
    `import fs from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  fs.appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}
`,
  );
  const registerHooks = path.join(root, 'register.mjs');
  fs.writeFileSync(
    registerHooks,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  const out = execFileSync(process.execPath, ['--import', registerHooks, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PINDAI_DATA_DIR: path.join(root, 'data'), PINDAI_LOG_LEVEL: 'warn' },
  });
  return { out, loaded: fs.readFileSync(log, 'utf8').split('\n') };
}

const PDF_LIBRARIES = /\/node_modules\/(pdf-lib|@pdf-lib\/fontkit|@hyzyla\/pdfium|exceljs)\//;
const OPTIONAL_BACKENDS = /s3\.object-store|meili\.search-index|pg-register|replica-store/;

/**
 * Every `pindai` run pays for the modules it loads (bench:cpu counts it per run): the commands'
 * modules and the optional backends are loaded only when used.
 */
describe('pindai start-up', () => {
  it('loads no command module and no optional backend before a command runs', () => {
    const { out, loaded } = modulesLoadedBy(['review', 'publish', '--help']);
    expect(out).toContain('staff-only'); // the choices are still offered
    expect(loaded.some((u) => u.endsWith('/scripts/pindai.ts'))).toBe(true);
    const eager = loaded.filter(
      (u) =>
        /\/scripts\/commands\/|\/scripts\/export\/|tesseract-ocr\.engine/.test(u) ||
        OPTIONAL_BACKENDS.test(u),
    );
    expect(eager).toEqual([]);
  });

  it('ingest loads its own command only, no backend the configuration does not name and no PDF library', () => {
    const empty = tempDir();
    const { out, loaded } = modulesLoadedBy(['ingest', empty, '--json']);
    expect(JSON.parse(out)).toEqual({ items: [] });
    const commands = loaded.filter((u) => /\/scripts\/commands\//.test(u));
    expect([...new Set(commands.map((u) => path.basename(u)))]).toEqual(['ingest.command.ts']);
    expect(loaded.filter((u) => OPTIONAL_BACKENDS.test(u))).toEqual([]);
    // The PDF libraries (~0.5 s to load) come with the first PDF or the first pdf stage.
    expect(loaded.filter((u) => PDF_LIBRARIES.test(u))).toEqual([]);
  });
});
