/** Fields of the XMP packet; all strings are plain text (escaped here). */
export interface XmpFields {
  title: string;
  author?: string;
  subject?: string;
  keywords?: string[];
  language?: string;
  identifier?: string;
  created?: Date;
  modified?: Date;
  producer: string;
  creatorTool: string;
}

/** Keeps only characters XML 1.0 allows (its Char production); others would make the packet unparsable. */
function xmlChars(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const ok =
      cp === 0x9 ||
      cp === 0xa ||
      cp === 0xd ||
      (cp >= 0x20 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd) ||
      cp >= 0x10000;
    if (ok) out += ch;
  }
  return out;
}

export function xmlEscape(s: string): string {
  return xmlChars(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** ISO 8601 in UTC without milliseconds, as XMP dates are usually written. */
export function xmpDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function alt(tag: string, value: string): string {
  return `<${tag}><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(value)}</rdf:li></rdf:Alt></${tag}>`;
}

function list(tag: string, kind: 'Seq' | 'Bag', values: string[]): string {
  const items = values.map((v) => `<rdf:li>${xmlEscape(v)}</rdf:li>`).join('');
  return `<${tag}><rdf:${kind}>${items}</rdf:${kind}></${tag}>`;
}

function simple(tag: string, value: string): string {
  return `<${tag}>${xmlEscape(value)}</${tag}>`;
}

/** The XMP packet (UTF-8 text) for the catalog's /Metadata stream. Deterministic for the same fields. */
export function buildXmp(f: XmpFields): string {
  const props: string[] = [alt('dc:title', f.title), simple('dc:format', 'application/pdf')];
  if (f.author) props.push(list('dc:creator', 'Seq', [f.author]));
  if (f.subject) props.push(alt('dc:description', f.subject));
  if (f.keywords?.length) props.push(list('dc:subject', 'Bag', f.keywords));
  if (f.language) props.push(list('dc:language', 'Bag', [f.language]));
  if (f.identifier) props.push(simple('dc:identifier', f.identifier));
  props.push(simple('xmp:CreatorTool', f.creatorTool));
  if (f.created) props.push(simple('xmp:CreateDate', xmpDate(f.created)));
  const modified = f.modified ?? f.created;
  if (modified) {
    props.push(simple('xmp:ModifyDate', xmpDate(modified)));
    props.push(simple('xmp:MetadataDate', xmpDate(modified)));
  }
  props.push(simple('pdf:Producer', f.producer));
  if (f.keywords?.length) props.push(simple('pdf:Keywords', f.keywords.join(', ')));
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
    ...props,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}
