import { decideAccess, type SidecarOutcome } from '../core/access.ts';
import type { ItemFlag } from '../core/item.types.ts';
import { type AccessLevel, type ItemMetadata, parseMetadata } from '../core/metadata.schema.ts';
import { readBatchFile } from './batch-scan.ts';

/** A sidecar larger than this is not read (it is not metadata); the item is held for review. */
export const MAX_METADATA_BYTES = 1024 * 1024;

/**
 * The item's metadata from its sidecar (`metadata.json`, any name case) and the upload form's
 * fields, with its access level decided fail-closed: `metadata.rights` is always set, to `review`
 * (with a `held_for_review` flag saying why) whenever it cannot be known.
 */
export async function readMetadata(
  dir: string,
  files: string[],
  form: Record<string, unknown> | undefined,
  defaultAccess: AccessLevel,
): Promise<{ metadata: ItemMetadata; flags: ItemFlag[] }> {
  const flags: ItemFlag[] = [];
  // An upload form left empty says nothing: it is not metadata.
  const given = form && Object.keys(form).length > 0 ? form : undefined;
  const sidecar = await readSidecar(dir, files);
  const raw = sidecar.kind === 'read' ? sidecar.raw : {};
  const parsed = parseMetadata({ ...raw, ...(given ?? {}) });
  if (parsed.problems.length > 0) {
    flags.push({ code: 'metadata_invalid', params: { detail: parsed.problems.join('; ') } });
  }
  // An unusable or missing sidecar is said once, by the hold's reason.
  const access = decideAccess(sidecar, given, defaultAccess);
  if (access.hold) flags.push(access.hold);
  return { metadata: { ...parsed.metadata, rights: access.access }, flags };
}

async function readSidecar(dir: string, files: string[]): Promise<SidecarOutcome> {
  if (files.length === 0) return { kind: 'absent' };
  if (files.length > 1) {
    return { kind: 'unusable', reason: 'metadata_ambiguous', detail: files.map((f) => `"${f}"`).join(', ') };
  }
  const name = files[0] as string;
  let data: Buffer;
  try {
    data = await readBatchFile(dir, name, MAX_METADATA_BYTES);
  } catch (err) {
    const tooLarge = /larger than/.test((err as Error).message);
    return {
      kind: 'unusable',
      reason: tooLarge ? 'metadata_too_large' : 'metadata_unreadable',
      detail: tooLarge ? `> ${MAX_METADATA_BYTES} bytes` : (err as Error).message,
    };
  }
  let text: string;
  try {
    text = decodeText(data);
  } catch {
    return { kind: 'unusable', reason: 'metadata_unreadable', detail: 'not UTF-8 or UTF-16 text' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { kind: 'unusable', reason: 'metadata_malformed', detail: (err as Error).message };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { kind: 'unusable', reason: 'metadata_malformed', detail: 'not a JSON object' };
  }
  return { kind: 'read', raw: raw as Record<string, unknown> };
}

/**
 * Text as editors save it: UTF-8 with or without a BOM (Windows Notepad writes one), or UTF-16 with
 * its BOM (Notepad's "Unicode"). Anything else that is not valid UTF-8 throws.
 */
function decodeText(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(data);
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(data);
  // TextDecoder drops a leading UTF-8 BOM by default.
  return new TextDecoder('utf-8', { fatal: true }).decode(data);
}
