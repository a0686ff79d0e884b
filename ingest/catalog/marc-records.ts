import marcjs, { type Record as MarcRecord } from 'marcjs';
import { create } from 'xmlbuilder2';
import type { MessageKey } from '../../core/messages.ts';
import { CatalogFileError } from './catalog-file-error.ts';

const { Record, Iso2709Parser } = marcjs;

const RECORD_END = 0x1d;
const FIELD_END = 0x1e;
const LEADER = 24;

/**
 * Records of an ISO 2709 file (MARC 21 `.mrc`), each checked before marcjs reads it: marcjs itself
 * checks nothing (a PDF would come out as records of nonsense, bad bytes as U+FFFD). Checked: the
 * leader's numbers, the directory, every field's bounds and terminator, and every field's bytes
 * against the encoding leader/09 declares — ' ' MARC-8 (read only where it is plain ASCII: Pindai
 * has no MARC-8 table, and a guess would store wrong letters) or 'a' UTF-8.
 */
export function readIso2709(data: Buffer, file: string): MarcRecord[] {
  const records: MarcRecord[] = [];
  let start = 0;
  let n = 0;
  while (start < data.length) {
    // Line breaks between records (some exports write one record per line) are not records.
    while (start < data.length && (data[start] === 0x0a || data[start] === 0x0d)) start++;
    if (start >= data.length) break;
    n++;
    const end = data.indexOf(RECORD_END, start);
    const raw = data.subarray(start, end === -1 ? data.length : end + 1);
    const problem = checkRecord(raw, end !== -1);
    if (problem) {
      if (n === 1 && problem.kind === 'structure') {
        throw new CatalogFileError('catalog_not_marc', { file, format: 'ISO 2709' }, problem.detail);
      }
      if (problem.kind === 'encoding') {
        throw new CatalogFileError(
          'catalog_record_encoding',
          { record: n, field: problem.field },
          problem.reason,
        );
      }
      throw new CatalogFileError('catalog_record_invalid', { record: n }, problem.detail);
    }
    records.push(Iso2709Parser.parse(raw));
    start = end + 1;
  }
  return records;
}

type Problem =
  | { kind: 'structure'; detail: { key: MessageKey; params?: Record<string, string | number> } }
  | {
      kind: 'encoding';
      field: string;
      reason: {
        key: 'catalog_encoding_marc8' | 'catalog_encoding_utf8' | 'catalog_encoding_leader';
        params?: Record<string, string>;
      };
    };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const digits = (b: Buffer, from: number, len: number): number | null => {
  const s = b.toString('latin1', from, from + len);
  return /^\d+$/.test(s) ? Number(s) : null;
};

function checkRecord(raw: Buffer, terminated: boolean): Problem | null {
  const structure = (key: MessageKey, params: Record<string, string | number> = {}): Problem => ({
    kind: 'structure',
    detail: { key, params },
  });
  if (raw.length < LEADER + 2) return structure('catalog_marc_short', { bytes: raw.length });
  const length = digits(raw, 0, 5);
  const base = digits(raw, 12, 5);
  if (length === null || base === null || raw.toString('latin1', 20, 22) !== '45') {
    return structure('catalog_marc_no_leader');
  }
  if (!terminated) return structure('catalog_marc_no_end');
  if (length !== raw.length)
    return structure('catalog_marc_length', { declared: length, actual: raw.length });
  if (base > raw.length || raw[base - 1] !== FIELD_END || (base - 1 - LEADER) % 12 !== 0) {
    return structure('catalog_marc_directory');
  }
  const coding = raw.toString('latin1', 9, 10);
  if (coding !== ' ' && coding !== 'a') {
    return {
      kind: 'encoding',
      field: 'leader/09',
      reason: { key: 'catalog_encoding_leader', params: { value: coding } },
    };
  }
  for (let off = LEADER; off < base - 1; off += 12) {
    const tag = raw.toString('latin1', off, off + 3);
    const len = digits(raw, off + 3, 4);
    const at = digits(raw, off + 7, 5);
    if (!/^[0-9A-Za-z]{3}$/.test(tag) || len === null || at === null) {
      return structure('catalog_marc_entry', { n: (off - LEADER) / 12 + 1 });
    }
    const from = base + at;
    if (len < 1 || from + len > raw.length - 1 || raw[from + len - 1] !== FIELD_END) {
      return structure('catalog_marc_field', { tag });
    }
    const bytes = raw.subarray(from, from + len - 1);
    if (coding === ' ') {
      const bad = bytes.findIndex((b) => b > 0x7f);
      if (bad !== -1) {
        const byte = (bytes[bad] as number).toString(16).toUpperCase();
        return { kind: 'encoding', field: tag, reason: { key: 'catalog_encoding_marc8', params: { byte } } };
      }
    } else {
      try {
        utf8.decode(bytes);
      } catch {
        return { kind: 'encoding', field: tag, reason: { key: 'catalog_encoding_utf8' } };
      }
    }
  }
  return null;
}

const MARC_NS = 'http://www.loc.gov/MARC21/slim';

interface XmlElement {
  localName: string;
  namespaceURI: string | null;
  nodeType: number;
  textContent: string | null;
  childNodes: ArrayLike<XmlElement>;
  getAttribute(name: string): string | null;
}

const childElements = (el: XmlElement, name: string): XmlElement[] =>
  Array.from(el.childNodes).filter((c) => c.nodeType === 1 && c.localName === name);

/**
 * Records of a MARCXML file (MARC 21 slim: `<collection>` of `<record>`, or one `<record>`; with
 * or without a namespace prefix). Read through xmlbuilder2's DOM rather than marcjs's own MARCXML
 * reader, which finds tags at fixed character offsets and so misreads `<marc:record>` exports or
 * attributes written in another order without a word; each record becomes a marcjs Record all the
 * same. The file must be UTF-8 (or say its encoding in the XML declaration).
 */
export function readMarcXml(data: Buffer, file: string): MarcRecord[] {
  const text = decodeXml(data);
  let root: XmlElement;
  try {
    root = create(text).root().node as unknown as XmlElement;
  } catch (err) {
    throw new CatalogFileError(
      'catalog_not_marc',
      { file, format: 'MARCXML' },
      { key: 'catalog_xml_unparsable', params: { error: (err as Error).message.split('\n')[0] ?? '' } },
    );
  }
  const inMarc = (el: XmlElement) => el.namespaceURI === MARC_NS || el.namespaceURI === null;
  const recordEls =
    root.localName === 'record' && inMarc(root)
      ? [root]
      : root.localName === 'collection' && inMarc(root)
        ? childElements(root, 'record')
        : null;
  if (!recordEls) {
    throw new CatalogFileError(
      'catalog_not_marc',
      { file, format: 'MARCXML' },
      { key: 'catalog_xml_root', params: { name: root.localName } },
    );
  }
  return recordEls.map((el, i) => {
    const leader = childElements(el, 'leader')[0]?.textContent ?? '';
    if (leader.length !== LEADER) {
      throw new CatalogFileError(
        'catalog_record_invalid',
        { record: i + 1 },
        { key: 'catalog_xml_leader', params: { n: leader.length } },
      );
    }
    const rec = new Record();
    rec.leader = leader;
    for (const f of Array.from(el.childNodes)) {
      if (f.nodeType !== 1) continue;
      const tag = f.getAttribute('tag') ?? '';
      if (f.localName === 'controlfield') rec.fields.push([tag, f.textContent ?? '']);
      else if (f.localName === 'datafield') {
        const field = [tag, `${f.getAttribute('ind1') ?? ' '}${f.getAttribute('ind2') ?? ' '}`];
        for (const s of childElements(f, 'subfield'))
          field.push(s.getAttribute('code') ?? '', s.textContent ?? '');
        rec.fields.push(field);
      }
    }
    return rec;
  });
}

/** UTF-8 (or the declaration's ISO-8859-1/Windows-1252); a bad byte names the record it is in. */
function decodeXml(data: Buffer): string {
  const head = data.toString('latin1', 0, 200);
  const declared = /<\?xml[^>]*encoding=["']([^"']+)["']/i.exec(head)?.[1]?.toLowerCase();
  if (declared === 'iso-8859-1' || declared === 'latin1' || declared === 'windows-1252') {
    return new TextDecoder('windows-1252').decode(data);
  }
  try {
    return utf8.decode(data);
  } catch {
    const text = data.toString('latin1');
    const bad = findBadUtf8(data);
    const record = (text.slice(0, bad).match(/<(?:\w+:)?record[\s>]/g) ?? []).length;
    throw new CatalogFileError('catalog_xml_encoding', {
      record: Math.max(record, 1),
      byte: (data[bad] ?? 0).toString(16).toUpperCase(),
      offset: bad,
    });
  }
}

/** Offset of the first byte that is not part of valid UTF-8 (shrinking until the prefix decodes). */
function findBadUtf8(data: Buffer): number {
  let lo = 0;
  let hi = data.length;
  // The longest valid prefix: binary search over prefixes; a prefix ending inside a sequence fails
  // too, so step back to the sequence start at the end.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}
