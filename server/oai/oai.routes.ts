import express, { type Request, type Response, Router } from 'express';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Item } from '../../core/item.types.ts';
import { type Lang, t } from '../../core/messages.ts';
import type { Register } from '../../core/register/register.ts';
import { baseUrl } from '../collection/base-url.ts';
import { urls } from '../collection/urls.ts';
import { type HarvestState, harvestStateOf, type ListArgs, type ListPage, listPage } from './oai-harvest.ts';
import { FORMATS, type FormatPrefix, isFormat, writeMarcXml, writeOaiDc } from './oai-metadata.ts';
import { datestampOf, type OaiError, parseOaiRequest, type Verb } from './oai-request.ts';
import { setSpecsOf, setsOf } from './oai-sets.ts';

/** Settings of the OAI-PMH data provider (core/config.ts: PINDAI_OAI_*). */
export interface OaiSettings {
  /** Records (or headers) per list response; the rest follows with a resumption token. */
  pageSize: number;
  /** Identify's adminEmail. Default: webmaster@<the repository's host>. */
  adminEmail?: string;
  /** Identify's repositoryName. Default: the collection's site name in the configured language. */
  repositoryName?: string;
}

/** How long a resumption token stays valid: a day covers a slow harvest of a large collection. */
const TOKEN_LIFETIME_MS = 24 * 3600_000;

export interface OaiDeps {
  register: Register;
  publicUrl?: string;
  lang?: Lang;
  oai?: OaiSettings;
}

const OAI = 'http://www.openarchives.org/OAI/2.0/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const OAI_ID = 'http://www.openarchives.org/OAI/2.0/oai-identifier';
/** A domain name as the oai-identifier scheme allows it (at least one dot; no IP address, no localhost). */
const DOMAIN = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/;
const ITEM_ID = /^[a-z0-9]{6,40}$/;

/**
 * The OAI-PMH 2.0 data provider at /oai (and /oai2.php, the path SLiMS uses, so a harvester set
 * up for one finds the other): Identify, ListMetadataFormats, ListSets, ListIdentifiers,
 * ListRecords and GetRecord, by GET or by POST (form-encoded), in oai_dc and MARCXML. What it
 * shows is what the public collection shows, plus withdrawn items as deleted records.
 */
export function oaiRoutes(deps: OaiDeps): Router {
  const r = Router();
  const settings = { pageSize: 100, ...deps.oai };
  const lang = deps.lang ?? 'id';

  async function answer(req: Request, res: Response, params: URLSearchParams): Promise<void> {
    const origin = baseUrl(req, deps.publicUrl);
    const host = new URL(origin).hostname;
    const ctx: Ctx = { origin, host, base: `${origin}/oai`, now: Date.now() };
    const parsed = parseOaiRequest(params);
    if (!parsed.ok) return send(res, envelope(ctx, null, parsed.errors).doc);
    const { doc, root } = envelope(ctx, { verb: parsed.verb, ...parsed.args });
    const errors = await VERB_HANDLERS[parsed.verb](root, parsed.args, ctx);
    send(res, errors ? envelope(ctx, { verb: parsed.verb, ...parsed.args }, errors).doc : doc);
  }

  /**
   * The response's frame: responseDate and the request (its arguments repeated, except after
   * badVerb or badArgument, when only the base URL may be, spec §3.2), then the errors if any.
   */
  function envelope(ctx: Ctx, args: Record<string, string> | null, errors: OaiError[] = []) {
    const doc = create({ invalidCharReplacement: '' }).dec({ version: '1.0', encoding: 'UTF-8' });
    const root = doc
      .ele(OAI, 'OAI-PMH')
      .att(XSI, 'xsi:schemaLocation', `${OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd`);
    root.ele('responseDate').txt(datestampOf(new Date(ctx.now).toISOString()));
    const request = root.ele('request');
    if (args && !errors.some((e) => e.code === 'badArgument' || e.code === 'badVerb')) request.att(args);
    request.txt(ctx.base);
    for (const e of errors) root.ele('error').att('code', e.code).txt(e.message);
    return { doc, root };
  }

  /** Each verb writes its element into the response, or returns the errors it earns (the answer is then remade). */
  type Handler = (
    root: XMLBuilder,
    args: Record<string, string>,
    ctx: Ctx,
  ) => Promise<OaiError[] | undefined>;

  function oaiIdentifier(ctx: Ctx, itemId: string): string {
    return `oai:${ctx.host}:${itemId}`;
  }

  /** The item an OAI identifier of this repository names, with what may be shown of it. */
  async function itemOf(
    ctx: Ctx,
    identifier: string,
  ): Promise<{ item: Item; state: HarvestState } | OaiError[]> {
    const prefix = `oai:${ctx.host}:`;
    const id = identifier.startsWith(prefix) ? identifier.slice(prefix.length) : '';
    const item = ITEM_ID.test(id) ? await deps.register.items.get(id) : null;
    const state = harvestStateOf(item);
    if (!item || !state)
      return [{ code: 'idDoesNotExist', message: `${identifier} is not an identifier of this repository.` }];
    return { item, state };
  }

  function writeRecord(
    parent: XMLBuilder,
    ctx: Ctx,
    prefix: FormatPrefix | null,
    r: { item: Item; state: HarvestState },
  ) {
    const record = prefix ? parent.ele('record') : parent;
    const header = record.ele('header');
    if (r.state.kind === 'deleted') header.att('status', 'deleted');
    header.ele('identifier').txt(oaiIdentifier(ctx, r.item.id));
    header.ele('datestamp').txt(datestampOf(r.item.updatedAt));
    for (const spec of setSpecsOf(r.item)) header.ele('setSpec').txt(spec);
    if (!prefix || r.state.kind === 'deleted') return;
    const src = { item: r.item, access: r.state.access, url: `${ctx.origin}${urls.item(r.item.id)}`, lang };
    const metadata = record.ele('metadata');
    if (prefix === 'oai_dc') writeOaiDc(metadata, src);
    else writeMarcXml(metadata, src);
  }

  function writeList(root: XMLBuilder, verb: Verb, ctx: Ctx, prefix: FormatPrefix, page: ListPage): void {
    const list = root.ele(verb);
    for (const r of page.items) writeRecord(list, ctx, verb === 'ListRecords' ? prefix : null, r);
    if (!page.next && !page.resumed) return;
    const token = list.ele('resumptionToken').att({
      completeListSize: String(page.completeListSize),
      cursor: String(page.cursor),
    });
    if (page.next) {
      token.att('expirationDate', datestampOf(new Date(page.next.expires).toISOString()));
      token.txt(page.next.token);
    }
  }

  function listHandler(verb: 'ListIdentifiers' | 'ListRecords'): Handler {
    return async (root, args, ctx) => {
      const token = args.resumptionToken;
      if (token === undefined && !isFormat(args.metadataPrefix ?? ''))
        return [cannotDisseminate(args.metadataPrefix ?? '')];
      const { metadataPrefix, from, until, set } = args;
      const start: { token: string } | { args: ListArgs } =
        token !== undefined
          ? { token }
          : { args: { metadataPrefix: metadataPrefix as FormatPrefix, from, until, set } };
      const page = await listPage(deps.register, verb, start, {
        pageSize: settings.pageSize,
        tokenLifetimeMs: TOKEN_LIFETIME_MS,
        now: ctx.now,
      });
      if (Array.isArray(page)) return page;
      writeList(root, verb, ctx, page.metadataPrefix, page);
      return undefined;
    };
  }

  const VERB_HANDLERS: Record<Verb, Handler> = {
    async Identify(root, _args, ctx) {
      const earliest = (await deps.register.harvest.earliestDatestamp()) ?? new Date(ctx.now).toISOString();
      const id = root.ele('Identify');
      id.ele('repositoryName').txt(settings.repositoryName ?? t(lang, 'site_name'));
      id.ele('baseURL').txt(ctx.base);
      id.ele('protocolVersion').txt('2.0');
      id.ele('adminEmail').txt(settings.adminEmail ?? defaultAdminEmail(ctx.host));
      id.ele('earliestDatestamp').txt(datestampOf(earliest));
      id.ele('deletedRecord').txt('persistent');
      id.ele('granularity').txt('YYYY-MM-DDThh:mm:ssZ');
      if (DOMAIN.test(ctx.host)) {
        const d = id
          .ele('description')
          .ele(OAI_ID, 'oai-identifier')
          .att(XSI, 'xsi:schemaLocation', `${OAI_ID} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd`);
        d.ele('scheme').txt('oai');
        d.ele('repositoryIdentifier').txt(ctx.host);
        d.ele('delimiter').txt(':');
        d.ele('sampleIdentifier').txt(oaiIdentifier(ctx, 'k3x9q2m7'));
      }
      return undefined;
    },
    async ListMetadataFormats(root, args, ctx) {
      if (args.identifier !== undefined) {
        const found = await itemOf(ctx, args.identifier);
        if (Array.isArray(found)) return found;
      }
      const list = root.ele('ListMetadataFormats');
      for (const [prefix, f] of Object.entries(FORMATS)) {
        const mf = list.ele('metadataFormat');
        mf.ele('metadataPrefix').txt(prefix);
        mf.ele('schema').txt(f.schema);
        mf.ele('metadataNamespace').txt(f.namespace);
      }
      return undefined;
    },
    async ListSets(root, args) {
      // Every set fits one answer: a token can only be one we never gave.
      if (args.resumptionToken !== undefined)
        return [{ code: 'badResumptionToken', message: 'ListSets is never split; this token is not ours.' }];
      const sets = setsOf(await deps.register.harvest.setValues(), (field) =>
        t(lang, field === 'collection' ? 'oai_set_collection' : 'oai_set_type'),
      );
      if (sets.length === 0)
        return [
          {
            code: 'noSetHierarchy',
            message: 'No item names a collection or a type yet, so there are no sets.',
          },
        ];
      const list = root.ele('ListSets');
      for (const s of sets) {
        const set = list.ele('set');
        set.ele('setSpec').txt(s.spec);
        set.ele('setName').txt(s.name);
      }
      return undefined;
    },
    ListIdentifiers: listHandler('ListIdentifiers'),
    ListRecords: listHandler('ListRecords'),
    async GetRecord(root, args, ctx) {
      const found = await itemOf(ctx, args.identifier ?? '');
      const prefix = args.metadataPrefix ?? '';
      const errors = [
        ...(Array.isArray(found) ? found : []),
        ...(isFormat(prefix) ? [] : [cannotDisseminate(prefix)]),
      ];
      if (errors.length > 0 || Array.isArray(found) || !isFormat(prefix)) return errors;
      writeRecord(root.ele('GetRecord'), ctx, prefix, found);
      return undefined;
    },
  };

  const paths = ['/oai', '/oai2.php'];
  r.get(paths, (req, res) => answer(req, res, new URL(req.originalUrl, 'http://x').searchParams));
  r.post(paths, express.text({ type: 'application/x-www-form-urlencoded', limit: '16kb' }), (req, res) =>
    answer(req, res, new URLSearchParams(typeof req.body === 'string' ? req.body : '')),
  );
  return r;
}

interface Ctx {
  /** The site origin (PINDAI_PUBLIC_URL or the request's host). */
  origin: string;
  /** The repository identifier: the origin's host name. */
  host: string;
  /** The OAI base URL. */
  base: string;
  now: number;
}

/** A placeholder until PINDAI_OAI_ADMIN_EMAIL is set, in the form OAI-PMH.xsd requires (a dot after the @). */
function defaultAdminEmail(host: string): string {
  const email = `webmaster@${host}`;
  return /^\S+@(\S+\.)+\S+$/.test(email) ? email : 'webmaster@localhost.localdomain';
}

function cannotDisseminate(prefix: string): OaiError {
  return {
    code: 'cannotDisseminateFormat',
    message: `The metadata format ${prefix} is not supported; use oai_dc or marcxml.`,
  };
}

function send(res: Response, doc: XMLBuilder): void {
  // Harvests must see edits at once: no cache keeps an answer.
  res.set('Cache-Control', 'no-store').type('text/xml; charset=utf-8').send(doc.end());
}
