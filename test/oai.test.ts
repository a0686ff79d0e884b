import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemMetadata } from '../core/metadata.schema.ts';
import { collectionDepsOf } from '../scripts/collection-deps.ts';
import { createApp } from '../server/app.ts';
import { encodeToken } from '../server/oai/oai-harvest.ts';
import { tempDir } from './support/temp-dir.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

const execFileP = promisify(execFile);
const SCHEMA = path.resolve('test/fixtures/schemas/oai-pmh-responses.xsd');
const HOST = 'koleksi.example.go.id';
const oaiId = (id: string) => `oai:${HOST}:${id}`;

/**
 * The OAI-PMH data provider harvested end to end as Indonesia OneSearch would: a real SQLite
 * register of 2,500 published items (plus held, staff-only, unpublished and withdrawn ones), the
 * real app on an ephemeral port, every answer validated with xmllint against the official schemas.
 * Items are registered and published through the register's own methods: OCR is not the point.
 */
describe('OAI-PMH: harvesting the collection', () => {
  const root = tempDir('pindai-oai-');
  let app: TestApp;
  let base: string;
  let close: () => Promise<void>;
  const publicIds: string[] = [];
  const special: Record<'held' | 'staffOnly' | 'unpublished' | 'withdrawn' | 'withdrawnUnpublished', string> =
    {
      held: '',
      staffOnly: '',
      unpublished: '',
      withdrawn: '',
      withdrawnUnpublished: '',
    };
  let n = 0;

  /** An item registered and taken to `then` without the pipeline (no pages, no OCR). */
  const register = async (
    metadata: ItemMetadata,
    then: 'available' | 'received' | 'withdrawn' | 'withdrawn-unpublished' = 'available',
  ) => {
    n++;
    const id = `oai${String(n).padStart(5, '0')}${Math.random().toString(36).slice(2, 8).padEnd(6, '0')}`;
    await app.register.items.insert({
      id,
      title: metadata.title ?? `Buku ${n}`,
      metadata,
      flags: [],
      fingerprint: `fp-${id}`,
      sourcePath: `/in/${id}`,
      sourceName: id,
      intake: 'ingest',
      operator: null,
    });
    await app.register.items.markReceived(id, { pageCount: 3, originalBytes: 1000, sourceFormat: 'png' });
    if (then === 'withdrawn-unpublished') await app.register.staffItems.withdraw(id, 'sari', 'salah batch');
    if (then === 'received' || then === 'withdrawn-unpublished') return id;
    await app.register.items.markAvailable(id);
    if (then === 'withdrawn') await app.register.staffItems.withdraw(id, 'sari', 'rusak');
    return id;
  };

  beforeAll(async () => {
    app = createTestApp(path.join(root, 'data'), {
      env: {
        PINDAI_PUBLIC_URL: `https://${HOST}`,
        PINDAI_OAI_PAGE_SIZE: '100',
        PINDAI_OAI_ADMIN_EMAIL: 'perpustakaan@example.go.id',
      },
    });
    for (let i = 0; i < 2500; i++) {
      const magazine = i % 10 === 0;
      publicIds.push(
        await register({
          title: magazine ? `Majalah Kota ${i}` : `Sejarah Daerah jilid ${i}`,
          creator: i % 2 ? ['Dinas Perpustakaan Kota Malang'] : ['Soekarno', 'Hatta, Mohammad'],
          publisher: 'Balai Pustaka',
          place: 'Jakarta',
          year: 1950 + (i % 50),
          language: i % 3 ? ['ind'] : ['ind', 'nl'],
          subjects: ['Sejarah', 'Jawa Timur'],
          type: magazine ? 'Majalah' : 'Buku',
          collection: i % 2 ? 'Koleksi Lokal' : 'Koleksi Langka',
          isbn: i === 0 ? '978-602-8519-93-9' : undefined,
          description: i === 1 ? 'Riwayat <kota> & "pelabuhan"\u0001 tua.' : undefined,
          rights: i % 4 === 0 ? 'read-online' : 'open',
        }),
      );
    }
    special.held = await register({ title: 'Ditahan', rights: 'review', collection: 'Koleksi Lokal' });
    special.staffOnly = await register({
      title: 'Notulen',
      rights: 'staff-only',
      collection: 'Rahasia',
      type: 'Arsip',
    });
    special.unpublished = await register({ title: 'Belum terbit', rights: 'open' }, 'received');
    special.withdrawn = await register(
      { title: 'Ditarik', rights: 'open', collection: 'Koleksi Lokal' },
      'withdrawn',
    );
    special.withdrawnUnpublished = await register(
      { title: 'Salah', rights: 'open' },
      'withdrawn-unpublished',
    );
    const server = createApp({ ...collectionDepsOf(app), health: () => ({}) }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      await new Promise((r) => server.close(r));
      await app.close();
    };
  }, 240_000);
  afterAll(async () => {
    await close?.();
  });

  let answers = 0;
  /** GET (or POST) /oai with these arguments; the answer must be valid OAI-PMH. */
  const oai = async (
    params: Record<string, string> | string,
    opts: { post?: boolean; path?: string } = {},
  ) => {
    const qs = typeof params === 'string' ? params : new URLSearchParams(params).toString();
    const url = `${base}${opts.path ?? '/oai'}`;
    const res = opts.post
      ? await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: qs,
        })
      : await fetch(`${url}?${qs}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml; charset=utf-8/);
    const body = await res.text();
    await validate(body);
    return body;
  };
  const validate = async (xml: string) => {
    const file = path.join(root, `answer-${++answers}.xml`);
    fs.writeFileSync(file, xml);
    const r = await execFileP('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, file]).catch(
      (e: { stderr: string }) => ({ stderr: e.stderr, failed: true }),
    );
    expect('failed' in r ? r.stderr : '', `schema validation of ${file}`).toBe('');
  };
  const errorCodes = (xml: string) => [...xml.matchAll(/<error code="(\w+)"/g)].map((m) => m[1]);
  const identifiers = (xml: string) =>
    [...xml.matchAll(/<identifier>([^<]+)<\/identifier>/g)].map((m) => m[1]);
  const token = (xml: string) => {
    const m = /<resumptionToken([^>]*?)(?:\/>|>([^<]*)<\/resumptionToken>)/.exec(xml);
    if (!m) return null;
    const attrs = Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    return { value: m[2] ?? '', ...attrs } as {
      value: string;
      completeListSize?: string;
      cursor?: string;
      expirationDate?: string;
    };
  };
  const deletedIds = (xml: string) =>
    [...xml.matchAll(/<header status="deleted"><identifier>([^<]+)</g)].map((m) => m[1]);

  /** Every page of a list, following resumption tokens; `between(page)` runs after each page. */
  const harvest = async (
    args: Record<string, string>,
    between: (page: number) => Promise<void> = async () => {},
  ) => {
    const pages: string[] = [];
    let xml = await oai(args);
    pages.push(xml);
    for (let t = token(xml); t?.value; t = token(xml)) {
      await between(pages.length);
      xml = await oai({ verb: args.verb as string, resumptionToken: t.value });
      pages.push(xml);
    }
    return pages;
  };

  it('identifies itself: base URL, persistent deleted records, seconds, oai-identifier', async () => {
    const xml = await oai({ verb: 'Identify' });
    expect(xml).toContain(`<baseURL>https://${HOST}/oai</baseURL>`);
    expect(xml).toContain('<protocolVersion>2.0</protocolVersion>');
    expect(xml).toContain('<adminEmail>perpustakaan@example.go.id</adminEmail>');
    expect(xml).toContain('<deletedRecord>persistent</deletedRecord>');
    expect(xml).toContain('<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>');
    expect(xml).toContain(`<repositoryIdentifier>${HOST}</repositoryIdentifier>`);
    expect(xml).toMatch(/<earliestDatestamp>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/earliestDatestamp>/);
    // SLiMS' path answers too, and POST works as GET does.
    expect(await oai({ verb: 'Identify' }, { path: '/oai2.php' })).toContain('<Identify>');
    expect(await oai({ verb: 'Identify' }, { post: true })).toContain('<Identify>');
  });

  it('lists its formats and its sets per collection and per type', async () => {
    const formats = await oai({ verb: 'ListMetadataFormats' });
    expect(formats).toContain('<metadataPrefix>oai_dc</metadataPrefix>');
    expect(formats).toContain('<metadataPrefix>marcxml</metadataPrefix>');
    expect(await oai({ verb: 'ListMetadataFormats', identifier: oaiId(publicIds[0] as string) })).toContain(
      '<metadataPrefix>marcxml</metadataPrefix>',
    );
    const sets = await oai({ verb: 'ListSets' });
    for (const spec of [
      'collection',
      'collection:koleksi-lokal',
      'collection:koleksi-langka',
      'type',
      'type:buku',
      'type:majalah',
    ])
      expect(sets).toContain(`<setSpec>${spec}</setSpec>`);
    // The staff-only item's collection and type are nobody's business.
    expect(sets).not.toContain('rahasia');
    expect(sets).not.toContain('arsip');
  });

  it('harvests 2,500 items at 100 per answer, each exactly once, though items change mid-harvest', async () => {
    const first = publicIds[0] as string;
    const last = publicIds.at(-1) as string;
    const pages = await harvest({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc' }, async (page) => {
      if (page !== 5) return;
      // One item already listed and one not yet listed are edited: their datestamps move, not their places.
      for (const id of [first, last]) {
        const item = await app.register.items.get(id);
        if (!item) throw new Error(id);
        await app.register.staffItems.updateMetadata(item, `${item.title} (revisi)`, item.metadata, 'sari');
      }
    });
    expect(pages).toHaveLength(26);
    const listed = pages.flatMap(identifiers);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.sort()).toEqual([...publicIds, special.withdrawn].map(oaiId).sort());
    const tokens = pages.map(token);
    expect(tokens[0]).toMatchObject({ completeListSize: '2501', cursor: '0' });
    expect(tokens[1]).toMatchObject({ completeListSize: '2501', cursor: '100' });
    expect(tokens[0]?.expirationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The last answer closes the list with an empty token.
    expect(tokens.at(-1)).toEqual({ value: '', completeListSize: '2501', cursor: '2500' });
    for (const hidden of [special.held, special.staffOnly, special.unpublished, special.withdrawnUnpublished])
      expect(listed).not.toContain(oaiId(hidden));
  }, 120_000);

  it('after one edit, a harvest from that moment returns just that item', async () => {
    // The edit falls in a later second than everything before it (datestamps are in seconds).
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const since = `${new Date().toISOString().slice(0, 19)}Z`;
    const id = publicIds[1234] as string;
    const item = await app.register.items.get(id);
    if (!item) throw new Error(id);
    await app.register.staffItems.updateMetadata(item, 'Judul Diperbaiki', item.metadata, 'sari');
    const xml = await oai({ verb: 'ListRecords', metadataPrefix: 'oai_dc', from: since });
    expect(identifiers(xml)).toEqual([oaiId(id)]);
    expect(xml).toContain('<dc:title>Judul Diperbaiki</dc:title>');
    expect(xml).toContain(`<datestamp>${since}</datestamp>`);
    // Day granularity is accepted too; until before the edit leaves it out.
    const today = await oai({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: since.slice(0, 10) });
    expect(token(today)?.completeListSize).toBe('2501');
    const before = `${new Date(Date.parse(since) - 1000).toISOString().slice(0, 19)}Z`;
    expect(
      identifiers(
        await oai({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: before, until: before }),
      ),
    ).not.toContain(oaiId(id));
  });

  it('shows a withdrawn item as a deleted record, in lists and by GetRecord', async () => {
    const pages = await harvest({
      verb: 'ListRecords',
      metadataPrefix: 'oai_dc',
      set: 'collection:koleksi-lokal',
    });
    expect(pages.flatMap(deletedIds)).toEqual([oaiId(special.withdrawn)]);
    const xml = await oai({
      verb: 'GetRecord',
      identifier: oaiId(special.withdrawn),
      metadataPrefix: 'marcxml',
    });
    expect(deletedIds(xml)).toEqual([oaiId(special.withdrawn)]);
    expect(xml).not.toContain('<metadata>');
  }, 60_000);

  it('never lists nor gives held, staff-only or unpublished items', async () => {
    for (const id of [special.held, special.staffOnly, special.unpublished, special.withdrawnUnpublished]) {
      for (const metadataPrefix of ['oai_dc', 'marcxml']) {
        const xml = await oai({ verb: 'GetRecord', identifier: oaiId(id), metadataPrefix });
        expect(errorCodes(xml)).toEqual(['idDoesNotExist']);
        expect(xml).not.toContain('Notulen');
      }
      expect(errorCodes(await oai({ verb: 'ListMetadataFormats', identifier: oaiId(id) }))).toEqual([
        'idDoesNotExist',
      ]);
    }
    const sets = await harvest({ verb: 'ListRecords', metadataPrefix: 'marcxml', set: 'type:majalah' });
    expect(sets.flatMap(identifiers)).toHaveLength(250);
  }, 60_000);

  it('writes oai_dc and MARCXML with the public URL, ISO 639 languages and rights', async () => {
    const id = publicIds[0] as string;
    const dc = await oai({ verb: 'GetRecord', identifier: oaiId(id), metadataPrefix: 'oai_dc' });
    expect(dc).toContain(`<dc:identifier>https://${HOST}/item/${id}</dc:identifier>`);
    expect(dc).toContain('<dc:identifier>urn:isbn:9786028519939</dc:identifier>');
    expect(dc).toContain('<dc:language>ind</dc:language>');
    expect(dc).toContain('<dc:language>nld</dc:language>');
    expect(dc).toContain('<dc:rights>http://rightsstatements.org/vocab/CNE/1.0/</dc:rights>');
    expect(dc).toMatch(/<dc:rights xml:lang="id">Hanya dapat dibaca daring/);
    expect(dc).toContain('<dc:type>Majalah</dc:type>');
    const marc = await oai({ verb: 'GetRecord', identifier: oaiId(id), metadataPrefix: 'marcxml' });
    expect(marc).toContain(`<marc:controlfield tag="001">${id}</marc:controlfield>`);
    expect(marc).toMatch(/<marc:leader>.{24}<\/marc:leader>/);
    expect(marc).toMatch(/<marc:controlfield tag="008">.{40}<\/marc:controlfield>/);
    expect(marc).toContain('<marc:datafield tag="856" ind1="4" ind2="0"><marc:subfield code="u">');
    expect(marc).toContain(`https://${HOST}/item/${id}`);
    expect(marc).toContain(
      '<marc:datafield tag="020" ind1=" " ind2=" "><marc:subfield code="a">978-602-8519-93-9',
    );
    expect(marc).toMatch(
      /<marc:datafield tag="041"[^>]*><marc:subfield code="a">ind<\/marc:subfield><marc:subfield code="a">dut</,
    );
    expect(marc).toContain('<marc:datafield tag="100" ind1="0" ind2=" "><marc:subfield code="a">Soekarno');
    expect(marc).toContain(
      '<marc:datafield tag="700" ind1="1" ind2=" "><marc:subfield code="a">Hatta, Mohammad',
    );
    expect(marc).toMatch(/<marc:datafield tag="506" ind1="1"/);
    expect(marc).toMatch(
      /<marc:datafield tag="540"[^>]*>.*<marc:subfield code="u">http:\/\/rightsstatements.org/,
    );
    // Markup and control characters in metadata are escaped or dropped, never break the XML.
    const odd = await oai({
      verb: 'GetRecord',
      identifier: oaiId(publicIds[1] as string),
      metadataPrefix: 'oai_dc',
    });
    expect(odd).toContain('Riwayat &lt;kota&gt; &amp; "pelabuhan" tua.');
    const corporate = await oai({
      verb: 'GetRecord',
      identifier: oaiId(publicIds[1] as string),
      metadataPrefix: 'marcxml',
    });
    expect(corporate).toContain(
      '<marc:datafield tag="110" ind1="2" ind2=" "><marc:subfield code="a">Dinas Perpustakaan',
    );
  });

  it('moves an item into a from= harvest when staff publish it, and out of sight when they restrict it', async () => {
    const held = await register({ title: 'Baru Dirilis', rights: 'review', collection: 'Koleksi Lokal' });
    const restricted = await register({ title: 'Akan Dibatasi', rights: 'open' });
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const since = `${new Date().toISOString().slice(0, 19)}Z`;
    await app.register.review.setAccess(held, 'open', 'kasi');
    await app.register.review.setAccess(restricted, 'staff-only', 'kasi');
    const xml = await oai({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: since });
    expect(identifiers(xml)).toEqual([oaiId(held)]);
    const gone = await oai({ verb: 'GetRecord', identifier: oaiId(restricted), metadataPrefix: 'oai_dc' });
    expect(errorCodes(gone)).toEqual(['idDoesNotExist']);
  });

  it('without PINDAI_PUBLIC_URL, names itself after the request host and leaves out the oai-identifier', async () => {
    const { publicUrl: _none, ...deps } = collectionDepsOf(app);
    const server = createApp({ ...deps, health: () => ({}) }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const get = async (params: Record<string, string>) => {
        const body = await (await fetch(`${local}/oai?${new URLSearchParams(params)}`)).text();
        await validate(body);
        return body;
      };
      const identify = await get({ verb: 'Identify' });
      expect(identify).toContain(`<baseURL>${local}/oai</baseURL>`);
      expect(identify).toContain('<adminEmail>perpustakaan@example.go.id</adminEmail>');
      expect(identify).not.toContain('oai-identifier');
      const id = publicIds[3] as string;
      const record = await get({
        verb: 'GetRecord',
        identifier: `oai:127.0.0.1:${id}`,
        metadataPrefix: 'oai_dc',
      });
      expect(record).toContain(`<dc:identifier>${local}/item/${id}</dc:identifier>`);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('answers every wrong request with the error the protocol names', async () => {
    const id = oaiId(publicIds[2] as string);
    const cases: Array<[Record<string, string> | string, string[]]> = [
      [{}, ['badVerb']],
      [{ verb: 'ListEverything' }, ['badVerb']],
      ['verb=Identify&verb=Identify', ['badVerb']],
      [{ verb: 'Identify', extra: 'x' }, ['badArgument']],
      [{ verb: 'ListRecords' }, ['badArgument']],
      ['verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc', ['badArgument']],
      [{ verb: 'ListRecords', metadataPrefix: 'oai_dc', from: '2020-13-01' }, ['badArgument']],
      [
        { verb: 'ListRecords', metadataPrefix: 'oai_dc', from: '2020-01-01', until: '2021-01-01T00:00:00Z' },
        ['badArgument'],
      ],
      [
        { verb: 'ListRecords', metadataPrefix: 'oai_dc', from: '2021-01-01', until: '2020-01-01' },
        ['badArgument'],
      ],
      [{ verb: 'ListRecords', metadataPrefix: 'oai_dc', from: '2020-01-01T00:00:00.000Z' }, ['badArgument']],
      [{ verb: 'ListRecords', metadataPrefix: 'oai_dc', resumptionToken: 'abc' }, ['badArgument']],
      [{ verb: 'GetRecord', identifier: id }, ['badArgument']],
      [{ verb: 'ListRecords', metadataPrefix: 'mods' }, ['cannotDisseminateFormat']],
      [{ verb: 'ListIdentifiers', metadataPrefix: 'mods' }, ['cannotDisseminateFormat']],
      [{ verb: 'GetRecord', identifier: id, metadataPrefix: 'mods' }, ['cannotDisseminateFormat']],
      [
        { verb: 'GetRecord', identifier: 'oai:elsewhere.example.org:abcdef12', metadataPrefix: 'oai_dc' },
        ['idDoesNotExist'],
      ],
      [
        { verb: 'GetRecord', identifier: `oai:${HOST}:nosuchitem`, metadataPrefix: 'oai_dc' },
        ['idDoesNotExist'],
      ],
      [{ verb: 'ListRecords', metadataPrefix: 'oai_dc', from: '2999-01-01' }, ['noRecordsMatch']],
      [{ verb: 'ListRecords', metadataPrefix: 'oai_dc', until: '1999-01-01' }, ['noRecordsMatch']],
      [{ verb: 'ListRecords', metadataPrefix: 'oai_dc', set: 'collection:tidak-ada' }, ['noRecordsMatch']],
      [{ verb: 'ListRecords', metadataPrefix: 'oai_dc', set: 'collection:rahasia' }, ['noRecordsMatch']],
      [{ verb: 'ListRecords', resumptionToken: 'bukan-token' }, ['badResumptionToken']],
      // Values the response could not repeat as valid OAI-PMH are bad arguments, not unknown sets or formats.
      [{ verb: 'ListRecords', metadataPrefix: 'oai_dc', set: 'koleksi lokal' }, ['badArgument']],
      [{ verb: 'ListRecords', metadataPrefix: 'oai dc' }, ['badArgument']],
      [{ verb: 'GetRecord', identifier: `oai:${HOST}:a b<c>`, metadataPrefix: 'oai_dc' }, ['badArgument']],
      [{ verb: 'ListSets', resumptionToken: 'bukan-token' }, ['badResumptionToken']],
    ];
    for (const [params, codes] of cases) {
      const xml = await oai(params);
      expect(errorCodes(xml), JSON.stringify(params)).toEqual(codes);
      if (codes[0] === 'badVerb' || codes[0] === 'badArgument')
        expect(xml).toMatch(/<request>[^<]+<\/request>/);
    }
    // A token from the list, expired; and one for the other list verb.
    const first = await oai({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc' });
    const live = token(first)?.value as string;
    const state = JSON.parse(Buffer.from(live, 'base64url').toString());
    const expired = encodeToken({ ...state, x: Date.now() - 1000 });
    expect(errorCodes(await oai({ verb: 'ListIdentifiers', resumptionToken: expired }))).toEqual([
      'badResumptionToken',
    ]);
    expect(errorCodes(await oai({ verb: 'ListRecords', resumptionToken: live }))).toEqual([
      'badResumptionToken',
    ]);
    expect(errorCodes(await oai({ verb: 'ListIdentifiers', resumptionToken: live }))).toEqual([]);
  });
});
