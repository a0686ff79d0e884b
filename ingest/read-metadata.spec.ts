import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/temp-dir.ts';
import { scanBatch } from './batch-scan.ts';
import { readMetadata } from './read-metadata.ts';

const root = tempDir('pindai-meta-');
let n = 0;

/** A batch folder holding only a sidecar with these bytes (written as given: BOMs, encodings). */
async function read(files: Record<string, string | Buffer>, given?: Record<string, unknown>, dflt = 'open') {
  const dir = path.join(root, `b${++n}`);
  fs.mkdirSync(dir);
  for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), data);
  const scan = await scanBatch(dir);
  return readMetadata(dir, scan.metadataFiles, given, dflt as 'open');
}
const heldReason = (r: Awaited<ReturnType<typeof read>>) =>
  r.flags.find((f) => f.code === 'held_for_review')?.params?.reason ?? null;

describe('metadata.json access: fail closed', () => {
  it('takes a recognised rights value, in any key case, with a UTF-8 or UTF-16 BOM', async () => {
    const cases: Array<[Record<string, string | Buffer>, string]> = [
      [{ 'metadata.json': '{"title":"A","rights":"staff-only"}' }, 'staff-only'],
      [{ 'metadata.json': '{"Rights":"Terbatas"}' }, 'staff-only'],
      [{ 'metadata.json': `\uFEFF{"RIGHTS":"read-online"}` }, 'read-online'],
      [{ 'Metadata.JSON': '{"rights":"baca online"}' }, 'read-online'],
      [{ 'metadata.json': Buffer.from(`\uFEFF{"rights":"terbatas"}`, 'utf16le') }, 'staff-only'],
      [{ 'metadata.json': '{"rights":"open"}' }, 'open'],
    ];
    for (const [files, access] of cases) {
      const r = await read(files);
      expect(r.metadata.rights, JSON.stringify(files)).toBe(access);
      expect(heldReason(r)).toBeNull();
    }
  });

  it('holds every rights value it does not recognise, and every unreadable sidecar', async () => {
    const cases: Array<[Record<string, string | Buffer>, string]> = [
      [{ 'metadata.json': '{"rights":"closed"}' }, 'rights_unrecognised'],
      [{ 'metadata.json': '{"rights":"restricted"}' }, 'rights_unrecognised'],
      [{ 'metadata.json': '{"rights":"tertutup"}' }, 'rights_unrecognised'],
      [{ 'metadata.json': '{"rights":"private"}' }, 'rights_unrecognised'],
      [{ 'metadata.json': '{"rights":["staff-only"]}' }, 'rights_unrecognised'],
      [{ 'metadata.json': '{"rights":null}' }, 'rights_unrecognised'],
      [{ 'metadata.json': '{"rights":"open","Rights":"staff-only"}' }, 'metadata_ambiguous'],
      [{ 'metadata.json': '{"rights":"review"}' }, 'rights_review'],
      [{ 'metadata.json': '{"title":"A",' }, 'metadata_malformed'],
      [{ 'metadata.json': '["open"]' }, 'metadata_malformed'],
      [{ 'metadata.json': Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }, 'metadata_unreadable'],
      [{ 'metadata.json': `{"description":"${'x'.repeat(1024 * 1024)}"}` }, 'metadata_too_large'],
      [{ 'metadata.json': '{"rights":"open"}', 'METADATA.json': '{"rights":"open"}' }, 'metadata_ambiguous'],
      [{}, 'metadata_missing'],
    ];
    for (const [files, reason] of cases) {
      const r = await read(files);
      expect(r.metadata.rights, JSON.stringify(Object.keys(files))).toBe('review');
      expect(heldReason(r), JSON.stringify(files).slice(0, 80)).toBe(reason);
    }
  });

  it('applies the library default only to readable metadata without rights', async () => {
    expect((await read({ 'metadata.json': '{"title":"A"}' }, undefined, 'read-online')).metadata.rights).toBe(
      'read-online',
    );
    const review = await read({ 'metadata.json': '{"title":"A"}' }, undefined, 'review');
    expect(heldReason(review)).toBe('access_default_review');
    // The upload form's fields count as readable metadata; its rights win over the sidecar's.
    expect((await read({}, { title: 'B' })).metadata.rights).toBe('open');
    expect(
      (await read({ 'metadata.json': '{"rights":"closed"}' }, { rights: 'staff-only' })).metadata.rights,
    ).toBe('staff-only');
  });

  it('reads keys named like Object.prototype members as unknown fields, not as schemas', async () => {
    const r = await read({
      'metadata.json':
        '{"constructor":"x","__proto__":{"rights":"open"},"toString":1,"hasOwnProperty":2,"title":"T"}',
    });
    expect(r.metadata.title).toBe('T');
    expect(heldReason(r)).toBeNull();
    expect(r.metadata.rights).toBe('open');
    expect(Object.getPrototypeOf(r.metadata)).toBe(Object.prototype);
    expect(r.flags.find((f) => f.code === 'metadata_invalid')?.params?.detail).toMatch(
      /constructor: unknown field/,
    );
  });
});
