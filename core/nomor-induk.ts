/**
 * Nomor induk alih media: the accession number Pindai gives each digitized item, rendered from a
 * template such as `{seq:5}/AM/{year}` → `00001/AM/2026`.
 *
 * Tokens: `{seq}` or `{seq:N}` the running number (zero-padded to N digits), `{year}` four-digit
 * year, `{yy}` two-digit year, `{code}` the collection code. Literal text may use letters, digits
 * and the separators `/ - .` (and spaces). Exactly one `{seq}` is required.
 *
 * The running number belongs to a *series*: the template rendered without the seq token. A
 * template with `{year}` therefore restarts at 1 each year (00001/AM/2026, 00001/AM/2027), the
 * usual practice for a Buku Induk; a template without it counts forever. Numbers are never reused.
 */
const TOKEN = /\{(seq(?::(\d{1,2}))?|year|yy|code)\}/g;

export interface NomorTemplate {
  readonly source: string;
  /** Render the number for a running number `seq` at date `at`. */
  render(seq: number, at: Date, code: string): string;
  /** The series key: the template rendered without the running number. */
  series(at: Date, code: string): string;
}

export function parseNomorTemplate(source: string): NomorTemplate {
  const seqCount = [...source.matchAll(TOKEN)].filter((m) => m[1]?.startsWith('seq')).length;
  if (seqCount !== 1) {
    throw new Error(`Nomor induk template "${source}" must contain exactly one {seq} or {seq:N} token`);
  }
  const literal = source.replace(TOKEN, '');
  if (!/^[A-Za-z0-9/.\- ]*$/.test(literal)) {
    throw new Error(
      `Nomor induk template "${source}" may only use letters, digits, spaces and the separators / - . outside its tokens`,
    );
  }
  const fill = (at: Date, code: string, seqText: (pad: number) => string) =>
    source.replace(TOKEN, (_m, tok: string, pad?: string) => {
      if (tok.startsWith('seq')) return seqText(pad ? Number(pad) : 0);
      if (tok === 'year') return String(at.getFullYear());
      if (tok === 'yy') return String(at.getFullYear() % 100).padStart(2, '0');
      return code;
    });
  return {
    source,
    render: (seq, at, code) => fill(at, code, (pad) => String(seq).padStart(pad, '0')),
    series: (at, code) => fill(at, code, () => '#'),
  };
}
