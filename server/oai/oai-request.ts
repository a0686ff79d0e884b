/**
 * An OAI-PMH 2.0 request as the protocol defines it (openarchives.org/OAI/openarchivesprotocol.html
 * §3.1, §4): which arguments each verb takes, and the error each wrong request earns. Pure: no
 * register, no HTTP. A request is checked whole before anything is looked up.
 */

export const VERBS = [
  'Identify',
  'ListMetadataFormats',
  'ListSets',
  'ListIdentifiers',
  'ListRecords',
  'GetRecord',
] as const;
export type Verb = (typeof VERBS)[number];

export type OaiErrorCode =
  | 'badArgument'
  | 'badResumptionToken'
  | 'badVerb'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';

export interface OaiError {
  code: OaiErrorCode;
  message: string;
}

/** Arguments each verb accepts: required ones, optional ones, and the exclusive resumptionToken. */
const ARGS: Record<Verb, { required: string[]; optional: string[]; exclusive?: 'resumptionToken' }> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  ListIdentifiers: {
    required: ['metadataPrefix'],
    optional: ['from', 'until', 'set'],
    exclusive: 'resumptionToken',
  },
  ListRecords: {
    required: ['metadataPrefix'],
    optional: ['from', 'until', 'set'],
    exclusive: 'resumptionToken',
  },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
};

/**
 * The forms OAI-PMH.xsd gives these arguments (the response repeats them in its request element):
 * a value outside them is a bad argument, not an unknown set or format.
 */
const SYNTAX: Record<string, RegExp> = {
  metadataPrefix: /^[A-Za-z0-9\-_.!~*'()]+$/,
  set: /^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$/,
  // A URI: no spaces, controls or characters URIs never hold.
  identifier: /^[^\s<>"{}|\\^`\p{Cc}]{1,1000}$/u,
};

export type ParsedRequest =
  | { ok: true; verb: Verb; args: Record<string, string> }
  | { ok: false; errors: OaiError[]; verb: Verb | null };

/**
 * Check a request's arguments (GET query or POST form body, as name/value pairs in order). Every
 * argument may appear once; `verb` must be one of the six; a verb's required arguments must be
 * there and nothing else, except that a resumptionToken stands alone.
 */
export function parseOaiRequest(pairs: Iterable<[string, string]>): ParsedRequest {
  const args: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const [k, v] of pairs) {
    if (Object.hasOwn(args, k)) repeated.add(k);
    else args[k] = v;
  }
  const verbArg = args.verb;
  if (verbArg === undefined || repeated.has('verb') || !(VERBS as readonly string[]).includes(verbArg)) {
    const message =
      verbArg === undefined
        ? 'The verb argument is missing.'
        : repeated.has('verb')
          ? 'The verb argument may appear only once.'
          : 'The value of the verb argument is not a legal OAI-PMH verb.';
    return { ok: false, verb: null, errors: [{ code: 'badVerb', message }] };
  }
  const verb = verbArg as Verb;
  const spec = ARGS[verb];
  const { verb: _verb, ...rest } = args;
  const errors: OaiError[] = [];
  const bad = (message: string) => errors.push({ code: 'badArgument', message });
  for (const k of repeated) bad(`The argument ${k} may appear only once.`);
  const allowed = new Set([...spec.required, ...spec.optional, ...(spec.exclusive ? [spec.exclusive] : [])]);
  for (const k of Object.keys(rest)) if (!allowed.has(k)) bad(`${verb} does not take the argument ${k}.`);
  if (spec.exclusive && rest[spec.exclusive] !== undefined) {
    const others = Object.keys(rest).filter((k) => k !== spec.exclusive && allowed.has(k));
    if (others.length > 0)
      bad(`resumptionToken is an exclusive argument; ${others.join(', ')} not allowed with it.`);
  } else {
    for (const k of spec.required) if (rest[k] === undefined) bad(`${verb} requires the argument ${k}.`);
  }
  for (const [k, v] of Object.entries(rest)) {
    const syntax = SYNTAX[k];
    if (!allowed.has(k)) continue;
    if (v === '') bad(`The argument ${k} is empty.`);
    else if (syntax && !syntax.test(v)) bad(`The value of ${k} is not well-formed.`);
  }
  if (errors.length > 0) return { ok: false, verb, errors };
  return { ok: true, verb, args: rest };
}

/**
 * A datestamp window from `from` and `until` (either granularity, YYYY-MM-DD or
 * YYYY-MM-DDThh:mm:ssZ, both the same), as ISO-8601 bounds with milliseconds: `from` inclusive
 * (its first millisecond), `until` exclusive (just after its last second or day), so they compare
 * as strings with the register's time stamps. Null on a malformed or inverted window.
 */
export function parseDateWindow(
  from: string | undefined,
  until: string | undefined,
): { from: string | null; until: string | null } | null {
  const f = from === undefined ? null : parseUtc(from);
  const u = until === undefined ? null : parseUtc(until);
  if (f === undefined || u === undefined) return null;
  if (f && u && f.granularity !== u.granularity) return null;
  if (f && u && f.start > u.start) return null;
  return {
    from: f ? new Date(f.start).toISOString() : null,
    until: u ? new Date(u.start + (u.granularity === 'day' ? 86_400_000 : 1000)).toISOString() : null,
  };
}

/** A UTC datestamp at day or second granularity; undefined when malformed or not a real date. */
function parseUtc(s: string): { start: number; granularity: 'day' | 'second' } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z)?$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h = '00', mi = '00', se = '00'] = m.slice(1);
  const start = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  // Date.UTC rolls 2026-02-30 over into March: a date that does not exist is refused.
  if (new Date(start).toISOString().slice(0, 19) !== `${y}-${mo}-${d}T${h}:${mi}:${se}`) return undefined;
  return { start, granularity: m[4] === undefined ? 'day' : 'second' };
}

/** A register time stamp as an OAI datestamp (seconds granularity, UTC). */
export function datestampOf(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`;
}
