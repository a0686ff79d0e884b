import { describe, expect, it } from 'vitest';
import { datestampOf, parseDateWindow, parseOaiRequest } from './oai-request.ts';

const parse = (qs: string) => parseOaiRequest(new URLSearchParams(qs));
const codes = (qs: string) => {
  const r = parse(qs);
  return r.ok ? [] : r.errors.map((e) => e.code);
};

describe('OAI-PMH request arguments', () => {
  it('takes each verb with its own arguments', () => {
    expect(parse('verb=Identify')).toEqual({ ok: true, verb: 'Identify', args: {} });
    expect(parse('verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&set=type:buku')).toMatchObject({
      ok: true,
      args: { metadataPrefix: 'oai_dc', from: '2020-01-01', set: 'type:buku' },
    });
    expect(parse('verb=ListIdentifiers&resumptionToken=abc')).toMatchObject({ ok: true });
    expect(parse('verb=GetRecord&identifier=oai:a.b:c&metadataPrefix=marcxml')).toMatchObject({ ok: true });
  });

  it('refuses a missing, unknown or repeated verb as badVerb', () => {
    expect(codes('')).toEqual(['badVerb']);
    expect(codes('verb=listrecords')).toEqual(['badVerb']);
    expect(codes('verb=Identify&verb=Identify')).toEqual(['badVerb']);
  });

  it('refuses missing, unknown, repeated, empty and non-exclusive arguments as badArgument', () => {
    expect(codes('verb=ListRecords')).toEqual(['badArgument']);
    expect(codes('verb=GetRecord&identifier=x')).toEqual(['badArgument']);
    expect(codes('verb=Identify&from=2020-01-01')).toEqual(['badArgument']);
    expect(codes('verb=ListSets&set=a')).toEqual(['badArgument']);
    expect(codes('verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=marcxml')).toEqual(['badArgument']);
    expect(codes('verb=ListRecords&metadataPrefix=')).toEqual(['badArgument']);
    expect(codes('verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=t')).toEqual(['badArgument']);
    // Values the answer's request element could not repeat (OAI-PMH.xsd's patterns).
    expect(codes('verb=ListRecords&metadataPrefix=oai_dc&set=a%20b')).toEqual(['badArgument']);
    expect(codes('verb=ListRecords&metadataPrefix=oai_dc&set=type:')).toEqual(['badArgument']);
    expect(codes('verb=ListRecords&metadataPrefix=oai%3Adc')).toEqual(['badArgument']);
    expect(codes('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:a.b:x%01y')).toEqual(['badArgument']);
    expect(codes('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:a.b:x%20y')).toEqual(['badArgument']);
  });
});

describe('from and until', () => {
  it('makes an inclusive start and an exclusive end at either granularity', () => {
    expect(parseDateWindow('2026-12-05T10:00:00Z', '2026-12-05T10:00:59Z')).toEqual({
      from: '2026-12-05T10:00:00.000Z',
      until: '2026-12-05T10:01:00.000Z',
    });
    expect(parseDateWindow('2026-12-05', '2026-12-05')).toEqual({
      from: '2026-12-05T00:00:00.000Z',
      until: '2026-12-06T00:00:00.000Z',
    });
    expect(parseDateWindow(undefined, undefined)).toEqual({ from: null, until: null });
  });

  it('refuses other forms, impossible dates, mixed granularities and an inverted window', () => {
    for (const bad of [
      '2026-12-05T10:00Z',
      '2026-12-05T10:00:00',
      '2026-12-05T10:00:00.000Z',
      '05-12-2026',
      '2026-02-30',
    ])
      expect(parseDateWindow(bad, undefined), bad).toBeNull();
    expect(parseDateWindow('2026-01-01', '2026-01-02T00:00:00Z')).toBeNull();
    expect(parseDateWindow('2026-01-02', '2026-01-01')).toBeNull();
  });

  it('writes datestamps in seconds', () => {
    expect(datestampOf('2026-12-05T10:00:00.999Z')).toBe('2026-12-05T10:00:00Z');
  });
});
