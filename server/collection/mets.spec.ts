import { describe, expect, it } from 'vitest';
import type { Item } from '../../core/item.types.ts';
import { schemaErrors } from '../../test/support/xml-schema.ts';
import { buildMets, dublinCoreOf, masterFiles } from './mets.ts';

const item = {
  id: 'abc123def',
  title: 'Hikayat <Raja> & "Pasai"',
  nomorInduk: '0007/AM/2026',
  metadata: {
    creator: ['Anonim'],
    year: 1890,
    language: ['msa'],
    type: 'Naskah',
    collection: 'Naskah Kuno',
    isbn: '978-602-0000-00-0',
  },
  availableAt: '2026-05-01T10:00:00.000Z',
  createdAt: '2026-05-01T09:00:00.000Z',
  updatedAt: '2026-05-02T09:00:00.000Z',
} as unknown as Item;

// Pages 1–3 from one three-page TIFF, page 4 from a JPEG.
const pages = [1, 2, 3, 4].map((n) => ({
  pageNo: n,
  originalKey: n < 4 ? 'items/abc/original/f0001-scan.tif' : 'items/abc/original/f0002-p4.jpg',
  originalSha256: n < 4 ? 'a'.repeat(64) : 'b'.repeat(64),
  originalBytes: n < 4 ? 3_000_000 : 400_000,
  format: n < 4 ? 'tiff' : 'jpeg',
}));

describe('METS of an item', () => {
  it('validates against the official METS schema, with DC, files and one div per page', () => {
    const xml = buildMets({
      objId: 'https://koleksi.example.go.id/item/abc123def',
      item,
      dc: dublinCoreOf(
        item,
        'https://koleksi.example.go.id/item/abc123def',
        'http://rightsstatements.org/vocab/NoC-US/1.0/',
      ),
      agent: 'Perpustakaan Daerah',
      pageNos: [1, 2, 3, 4],
      files: [
        ...masterFiles(pages),
        ...[1, 2, 3, 4].map((n) => ({
          id: `FULLTEXT_${n}`,
          use: 'FULLTEXT' as const,
          mime: 'application/xml',
          href: `alto/hlm-000${n}.xml`,
          pages: [n],
        })),
        {
          id: 'PDF',
          use: 'DOWNLOAD' as const,
          mime: 'application/pdf',
          href: 'x.pdf',
          size: 1234,
          pages: [],
        },
      ],
    });
    expect(schemaErrors(xml, 'mets.xsd')).toEqual([]);
    expect(xml).toContain('LABEL="Hikayat &lt;Raja&gt; &amp; &quot;Pasai&quot;"');
    expect(xml).toContain('<dc:identifier>ISBN 978-602-0000-00-0</dc:identifier>');
    expect(xml).toContain('<dc:rights>http://rightsstatements.org/vocab/NoC-US/1.0/</dc:rights>');
    // One master per original: the TIFF serves three pages.
    expect(xml.match(/<file ID="MASTER_\d+"/g)).toHaveLength(2);
    expect(xml).toContain(
      `MIMETYPE="image/tiff" SIZE="3000000" CHECKSUM="${'a'.repeat(64)}" CHECKSUMTYPE="SHA-256"`,
    );
    const divs = [
      ...xml.matchAll(/<div ID="PHYS_(\d+)" TYPE="page" ORDER="(\d+)" ORDERLABEL="(\d+)">([\s\S]*?)<\/div>/g),
    ];
    expect(divs.map((d) => d[2])).toEqual(['1', '2', '3', '4']);
    expect(divs[2]?.[4]).toMatch(/<fptr FILEID="MASTER_0001"\/>\s*<fptr FILEID="FULLTEXT_3"\/>/);
    expect(divs[3]?.[4]).toMatch(/<fptr FILEID="MASTER_0002"\/>/);
    // The PDF belongs to the whole item.
    expect(xml).toMatch(/TYPE="physSequence"[^>]*>\s*<fptr FILEID="PDF"\/>/);
  });
});
