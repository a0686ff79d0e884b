/** The part of marcjs (MIT, no types of its own) Pindai uses. */
declare module 'marcjs' {
  /** A field: [tag, value] for control fields (00X), [tag, indicators, code, value, code, value…] else. */
  export type MarcField = string[];
  export class Record {
    leader: string;
    fields: MarcField[];
    append(...fields: MarcField[]): void;
  }
  const marcjs: {
    Record: typeof Record;
    Iso2709Parser: {
      /** One record's bytes (up to its record terminator) as a Record; no checking at all. */
      parse(data: Buffer): Record;
    };
    Marc: {
      format(record: Record, type: 'Iso2709' | 'Marcxml' | 'Text' | 'Json' | 'MiJ'): string;
    };
  };
  export default marcjs;
}
