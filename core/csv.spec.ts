import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvText, neutralCell, writeCsv } from './csv.ts';

describe('neutralCell', () => {
  it('prefixes cells a spreadsheet would run as formulas', () => {
    for (const s of ['=1+1', '+A1', '-2+3', '@SUM(1)', '\t=1', '\r=1', '=HYPERLINK("http://x","y")']) {
      expect(neutralCell(s)).toBe(`'${s}`);
    }
  });
  it('leaves plain text and plain numbers alone', () => {
    for (const s of ['Buku', '', '-3', '+62', '12.5', "'quoted", 'a=b']) expect(neutralCell(s)).toBe(s);
  });
});

describe('csvText and writeCsv', () => {
  const rows = [
    ['Judul', 'Halaman'],
    ['=cmd', -3],
    ['a,"b"', 4],
  ];
  const want = '\uFEFFJudul,Halaman\r\n\'=cmd,-3\r\n"a,""b""",4\r\n';

  it('writes RFC 4180 with a BOM and CRLF, numbers as numbers', () => {
    expect(csvText(rows)).toBe(want);
  });

  it('streams the same text and ends the stream', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeCsv(out, rows);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(want);
    expect(out.writableEnded).toBe(true);
  });
});
