/**
 * METS 1.12 of one item: Dublin Core in a dmdSec, the files in a fileSec (one fileGrp per use,
 * with sizes and checksums where the register has them) and a physical structMap of one div per
 * page pointing at that page's files. Which files appear, and where they point, is the caller's
 * choice (the public METS and the one `pindai export` writes differ); this only writes them.
 */
import { create } from 'xmlbuilder2';
import type { Item } from '../../core/item.types.ts';
import { xmlText } from './xml-text.ts';

export const METS_NS = 'http://www.loc.gov/METS/';
const METS_XSD = 'http://www.loc.gov/standards/mets/mets.xsd';
export const METS_PROFILE = METS_NS;
const DC_NS = 'http://purl.org/dc/elements/1.1/';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** File groups, named as the DFG viewer and Kitodo name them. */
export type MetsUse = 'MASTER' | 'MAX' | 'DEFAULT' | 'THUMBS' | 'FULLTEXT' | 'DOWNLOAD';
const USE_ORDER: readonly MetsUse[] = ['MASTER', 'MAX', 'DEFAULT', 'THUMBS', 'FULLTEXT', 'DOWNLOAD'];

export interface MetsFile {
  id: string;
  use: MetsUse;
  mime: string;
  /** A URL (absolute, or relative to the METS file); absent: the file is described but not located. */
  href?: string;
  size?: number;
  sha256?: string;
  /** Pages the file belongs to; empty: the whole item (a PDF). A multi-page source names several. */
  pages: number[];
}

export interface MetsDocument {
  /** The item's public URL: METS OBJID. */
  objId: string;
  item: Item;
  /** Dublin Core elements in order, e.g. ['title', 'Sejarah …']. */
  dc: Array<[string, string]>;
  /** Who made the METS (the library). */
  agent: string;
  pageNos: number[];
  files: MetsFile[];
}

export function buildMets(d: MetsDocument): string {
  const { item } = d;
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const mets = doc.ele(METS_NS, 'mets', {
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xmlns:xlink': XLINK_NS,
    'xmlns:dc': DC_NS,
    'xsi:schemaLocation': `${METS_NS} ${METS_XSD}`,
    OBJID: d.objId,
    LABEL: xmlText(item.title),
    ...(item.metadata.type && { TYPE: xmlText(item.metadata.type) }),
  });
  const hdr = mets.ele('metsHdr', {
    CREATEDATE: item.availableAt ?? item.createdAt,
    LASTMODDATE: item.updatedAt,
  });
  hdr.ele('agent', { ROLE: 'CREATOR', TYPE: 'ORGANIZATION' }).ele('name').txt(xmlText(d.agent));
  hdr.ele('agent', { ROLE: 'CREATOR', TYPE: 'OTHER', OTHERTYPE: 'SOFTWARE' }).ele('name').txt('Pindai');
  const xmlData = mets
    .ele('dmdSec', { ID: 'DMD1' })
    .ele('mdWrap', { MDTYPE: 'DC', MIMETYPE: 'text/xml' })
    .ele('xmlData');
  for (const [el, value] of d.dc) xmlData.ele(DC_NS, `dc:${el}`).txt(xmlText(value));

  const fileSec = mets.ele('fileSec');
  for (const use of USE_ORDER) {
    const files = d.files.filter((f) => f.use === use);
    if (files.length === 0) continue;
    const grp = fileSec.ele('fileGrp', { USE: use });
    for (const f of files) {
      const file = grp.ele('file', {
        ID: f.id,
        MIMETYPE: f.mime,
        ...(f.size !== undefined && { SIZE: f.size }),
        ...(f.sha256 && { CHECKSUM: f.sha256, CHECKSUMTYPE: 'SHA-256' }),
      });
      if (f.href) file.ele('FLocat', { LOCTYPE: 'URL', 'xlink:href': f.href });
    }
  }

  const seq = mets
    .ele('structMap', { TYPE: 'PHYSICAL' })
    .ele('div', { ID: 'PHYS_0000', TYPE: 'physSequence', DMDID: 'DMD1', LABEL: xmlText(item.title) });
  for (const f of d.files) if (f.pages.length === 0) seq.ele('fptr', { FILEID: f.id });
  for (const [i, n] of d.pageNos.entries()) {
    const div = seq.ele('div', {
      ID: `PHYS_${String(n).padStart(4, '0')}`,
      TYPE: 'page',
      ORDER: i + 1,
      ORDERLABEL: n,
    });
    for (const f of d.files) if (f.pages.includes(n)) div.ele('fptr', { FILEID: f.id });
  }
  return doc.end({ prettyPrint: true });
}

/** Unqualified Dublin Core of an item, for METS (and any other DC consumer). */
export function dublinCoreOf(item: Item, publicUrl: string, rights: string | null): Array<[string, string]> {
  const m = item.metadata;
  const dc: Array<[string, string]> = [['title', m.subtitle ? `${item.title}: ${m.subtitle}` : item.title]];
  for (const c of m.creator ?? []) dc.push(['creator', c]);
  for (const s of m.subjects ?? []) dc.push(['subject', s]);
  if (m.description) dc.push(['description', m.description]);
  if (m.publisher) dc.push(['publisher', m.place ? `${m.place}: ${m.publisher}` : m.publisher]);
  if (m.year) dc.push(['date', String(m.year)]);
  if (m.type) dc.push(['type', m.type]);
  dc.push(['format', 'image/jpeg']);
  dc.push(['identifier', publicUrl]);
  if (item.nomorInduk) dc.push(['identifier', item.nomorInduk]);
  if (m.isbn) dc.push(['identifier', `ISBN ${m.isbn}`]);
  for (const l of m.language ?? []) dc.push(['language', l]);
  if (m.collection) dc.push(['relation', m.collection]);
  if (rights) dc.push(['rights', rights]);
  return dc;
}

const ORIGINAL_MIME: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
};

/**
 * The originals as received, one file per stored original (a multi-page TIFF or PDF serves several
 * pages), with the size and SHA-256 the register recorded when it stored them.
 */
export function masterFiles(
  pages: ReadonlyArray<{
    pageNo: number;
    originalKey: string;
    originalSha256: string;
    originalBytes: number;
    format: string;
  }>,
  href?: (originalKey: string) => string | undefined,
): MetsFile[] {
  const byKey = new Map<string, MetsFile>();
  for (const p of pages) {
    const known = byKey.get(p.originalKey);
    if (known) {
      known.pages.push(p.pageNo);
      continue;
    }
    const link = href?.(p.originalKey);
    byKey.set(p.originalKey, {
      id: `MASTER_${String(byKey.size + 1).padStart(4, '0')}`,
      use: 'MASTER',
      mime: ORIGINAL_MIME[p.format] ?? 'application/octet-stream',
      size: p.originalBytes,
      sha256: p.originalSha256,
      ...(link && { href: link }),
      pages: [p.pageNo],
    });
  }
  return [...byKey.values()];
}
