import type { Manifest } from '@iiif/presentation-3';

/**
 * The MUST rules of IIIF Presentation API 3.0 that apply to a Manifest of image Canvases,
 * checked at run time (the @iiif/presentation-3 types check the shape at compile time; JSON
 * from the server needs a run-time check). Returns the list of violations, empty when valid.
 * Section names refer to https://iiif.io/api/presentation/3.0/.
 */
export function validatePresentation3Manifest(m: Manifest): string[] {
  const errors: string[] = [];
  const fail = (path: string, msg: string) => errors.push(`${path}: ${msg}`);
  const isUri = (v: unknown) => typeof v === 'string' && /^https?:\/\/[^\s]+$/.test(v);
  const isLangMap = (v: unknown): boolean =>
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).length > 0 &&
    Object.values(v).every((a) => Array.isArray(a) && a.length > 0 && a.every((s) => typeof s === 'string'));
  const resource = (path: string, r: Record<string, unknown>, needLabel = false) => {
    if (!isUri(r.id)) fail(path, 'id must be an HTTP(S) URI');
    if (typeof r.type !== 'string') fail(path, 'type is required');
    if (needLabel && !isLangMap(r.label)) fail(path, 'label must be a language map');
    if (r.format !== undefined && !/^[\w.+-]+\/[\w.+-]+/.test(String(r.format)))
      fail(path, 'format must be a MIME type');
  };
  const ctx = ([] as unknown[]).concat(m['@context'] ?? []);
  if (!ctx.includes('http://iiif.io/api/presentation/3/context.json'))
    fail('@context', 'must include the Presentation 3 context (last)');
  else if (ctx.at(-1) !== 'http://iiif.io/api/presentation/3/context.json')
    fail('@context', 'Presentation 3 context must be last');
  if (m.type !== 'Manifest') fail('type', 'must be "Manifest"');
  if (!isUri(m.id)) fail('id', 'must be an HTTP(S) URI');
  if (!isLangMap(m.label)) fail('label', 'must be a language map (3.1 label)');
  for (const [i, md] of (m.metadata ?? []).entries()) {
    if (!isLangMap(md.label) || !isLangMap(md.value))
      fail(`metadata[${i}]`, 'label and value must be language maps');
  }
  if (m.summary !== undefined && !isLangMap(m.summary)) fail('summary', 'must be a language map');
  if (m.requiredStatement && (!isLangMap(m.requiredStatement.label) || !isLangMap(m.requiredStatement.value)))
    fail('requiredStatement', 'label and value must be language maps');
  const behaviors = new Set([
    'auto-advance',
    'no-auto-advance',
    'repeat',
    'no-repeat',
    'unordered',
    'individuals',
    'continuous',
    'paged',
  ]);
  for (const b of m.behavior ?? [])
    if (!behaviors.has(b)) fail('behavior', `${b} is not valid on a Manifest`);
  if (
    m.viewingDirection &&
    !['left-to-right', 'right-to-left', 'top-to-bottom', 'bottom-to-top'].includes(m.viewingDirection)
  )
    fail('viewingDirection', 'invalid value');
  for (const [i, t] of (m.thumbnail ?? []).entries())
    resource(`thumbnail[${i}]`, t as Record<string, unknown>);
  for (const [i, h] of (m.homepage ?? []).entries())
    resource(`homepage[${i}]`, h as Record<string, unknown>, true);
  for (const [i, r] of (m.rendering ?? []).entries())
    resource(`rendering[${i}]`, r as Record<string, unknown>, true);
  for (const [i, s] of (m.service ?? []).entries()) resource(`service[${i}]`, s as Record<string, unknown>);
  if (!Array.isArray(m.items) || m.items.length === 0)
    fail('items', 'a Manifest must have at least one Canvas');
  const ids = new Set<string>();
  for (const [ci, c] of (m.items ?? []).entries()) {
    const cp = `items[${ci}]`;
    if (c.type !== 'Canvas') fail(cp, 'type must be "Canvas"');
    if (!isUri(c.id)) fail(cp, 'id must be an HTTP(S) URI');
    else if (c.id.includes('#')) fail(cp, 'Canvas id must not contain a fragment');
    if (ids.has(c.id)) fail(cp, 'duplicate Canvas id');
    ids.add(c.id);
    const hasW = c.width !== undefined;
    if (hasW !== (c.height !== undefined)) fail(cp, 'width and height must be given together');
    if (!hasW) fail(cp, 'an image Canvas needs width and height');
    for (const d of [c.width, c.height])
      if (d !== undefined && !(Number.isInteger(d) && d > 0))
        fail(cp, 'width/height must be positive integers');
    if (c.label !== undefined && !isLangMap(c.label)) fail(`${cp}.label`, 'must be a language map');
    for (const [ti, t] of (c.thumbnail ?? []).entries())
      resource(`${cp}.thumbnail[${ti}]`, t as Record<string, unknown>);
    if (!Array.isArray(c.items) || c.items.length === 0)
      fail(cp, 'needs an AnnotationPage of painting annotations');
    for (const [pi, page] of (c.items ?? []).entries()) {
      const pp = `${cp}.items[${pi}]`;
      if (page.type !== 'AnnotationPage' || !isUri(page.id)) fail(pp, 'must be an AnnotationPage with an id');
      for (const [ai, a] of (page.items ?? []).entries()) {
        const ap = `${pp}.items[${ai}]`;
        const anno = a as unknown as Record<string, unknown>;
        if (anno.type !== 'Annotation' || !isUri(anno.id)) fail(ap, 'must be an Annotation with an id');
        if (anno.motivation !== 'painting') fail(ap, 'motivation must be "painting"');
        if (typeof anno.target !== 'string' || !anno.target.startsWith(c.id))
          fail(ap, 'target must be the Canvas');
        const body = anno.body as Record<string, unknown> | undefined;
        if (!body) {
          fail(ap, 'body is required');
          continue;
        }
        resource(`${ap}.body`, body);
        if (body.type !== 'Image') fail(`${ap}.body`, 'type must be "Image"');
        for (const [si, s] of ((body.service as Record<string, unknown>[]) ?? []).entries()) {
          const sp = `${ap}.body.service[${si}]`;
          resource(sp, s);
          if (s.type !== 'ImageService3' || !['level0', 'level1', 'level2'].includes(String(s.profile)))
            fail(sp, 'must be an ImageService3 with a level profile');
        }
      }
    }
  }
  return errors;
}
