import { type PDFContext, type PDFDict, PDFStream } from 'pdf-lib';

const STREAM = new TextEncoder().encode('\nstream\n');
const ENDSTREAM = new TextEncoder().encode('\nendstream');

/**
 * A PDF stream over ready-made bytes. pdf-lib's own streams copy their contents into the output one
 * byte at a time in JavaScript, which for page-sized JPEGs dominated the time to save a book; this
 * one copies with a single `set`.
 */
export class BytesStream extends PDFStream {
  private readonly bytes: Uint8Array;

  constructor(dict: PDFDict, bytes: Uint8Array) {
    super(dict);
    this.bytes = bytes;
  }

  override getContents(): Uint8Array {
    return this.bytes;
  }

  override getContentsSize(): number {
    return this.bytes.length;
  }

  override getContentsString(): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('latin1');
  }

  override clone(context?: PDFContext): BytesStream {
    return new BytesStream(this.dict.clone(context), this.bytes);
  }

  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    this.updateDict();
    let at = offset + this.dict.copyBytesInto(buffer, offset);
    buffer.set(STREAM, at);
    at += STREAM.length;
    buffer.set(this.bytes, at);
    at += this.bytes.length;
    buffer.set(ENDSTREAM, at);
    return at + ENDSTREAM.length - offset;
  }
}
