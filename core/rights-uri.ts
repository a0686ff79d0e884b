/**
 * A licence or rights statement as the URI interchange formats want it (IIIF `rights`, METS and
 * OAI `dc:rights`). IIIF Presentation 3 allows only Creative Commons licence URIs and
 * RightsStatements.org statement URIs there, in their canonical http:// form (IIIF api#1874), so
 * only those are recognised; anything else is not a known rights URI.
 */

const CC_LICENCES = new Set(['by', 'by-sa', 'by-nd', 'by-nc', 'by-nc-sa', 'by-nc-nd']);
const CC_VERSIONS = new Set(['1.0', '2.0', '2.5', '3.0', '4.0']);
/** https://rightsstatements.org/page/1.0/ — the twelve statements, case as the vocabulary spells them. */
const RIGHTS_STATEMENTS = [
  'InC',
  'InC-OW-EU',
  'InC-EDU',
  'InC-NC',
  'InC-RUU',
  'NoC-CR',
  'NoC-NC',
  'NoC-OKLR',
  'NoC-US',
  'CNE',
  'UND',
  'NKC',
];
const statementByLower = new Map(RIGHTS_STATEMENTS.map((s) => [s.toLowerCase(), s]));

const cc = (path: string) => `http://creativecommons.org/${path}/`;
const rs = (code: string) => `http://rightsstatements.org/vocab/${code}/1.0/`;

/**
 * The canonical URI for a licence or rights statement given as a URI (http or https, deed or
 * legal-code pages, rightsstatements.org's `page/` form) or a short name ("CC BY 4.0",
 * "CC-BY-SA-4.0", "CC0", "PDM", "InC", "NoC-NC"); null when it is not one of them.
 */
export function rightsUri(input: string): string | null {
  const s = input.trim();
  const url = /^https?:\/\/(?:www\.)?(creativecommons\.org|rightsstatements\.org)\/([^?#]*)/i.exec(s);
  if (url) {
    const host = (url[1] as string).toLowerCase();
    const parts = (url[2] as string).split('/').filter(Boolean);
    if (host === 'rightsstatements.org') {
      const [kind, code, version] = parts;
      const canonical = statementByLower.get((code ?? '').toLowerCase());
      return (kind === 'vocab' || kind === 'page') && canonical && version === '1.0' ? rs(canonical) : null;
    }
    const [kind, name, version] = parts.map((p) => p.toLowerCase());
    if (kind === 'licenses' && CC_LICENCES.has(name ?? '') && CC_VERSIONS.has(version ?? ''))
      return cc(`licenses/${name}/${version}`);
    if (kind === 'publicdomain' && (name === 'zero' || name === 'mark') && version === '1.0')
      return cc(`publicdomain/${name}/1.0`);
    return null;
  }
  const lower = s.toLowerCase().replace(/[\s_]+/g, '-');
  const statement = statementByLower.get(lower);
  if (statement) return rs(statement);
  if (lower === 'cc0' || lower === 'cc0-1.0') return cc('publicdomain/zero/1.0');
  if (lower === 'pdm' || lower === 'public-domain-mark' || lower === 'pdm-1.0')
    return cc('publicdomain/mark/1.0');
  const short = /^cc-(by(?:-(?:sa|nd|nc|nc-sa|nc-nd))?)-(\d\.\d)$/.exec(lower);
  if (short && CC_LICENCES.has(short[1] as string) && CC_VERSIONS.has(short[2] as string))
    return cc(`licenses/${short[1]}/${short[2]}`);
  return null;
}
