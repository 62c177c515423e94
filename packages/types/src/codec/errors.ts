/**
 * Every failure to encode or decode a value is a CodecError. `code` is stable (the API, the CLI
 * and the SDK report it as is); `path` names the field where it happened, e.g.
 * `operations[0].entries[1].value`, so that a rejected transaction says what was wrong with it.
 */
export type CodecErrorCode =
  /** The input ended inside a value. */
  | 'TRUNCATED'
  /** Bytes remain after a complete top-level value. */
  | 'TRAILING_BYTES'
  /** A varint used more bytes than its value needs. */
  | 'NON_MINIMAL_VARINT'
  /** A varint does not fit in 32 bits. */
  | 'VARINT_OVERFLOW'
  /** A length or count lies outside the bounds its field declares. */
  | 'LENGTH_OUT_OF_RANGE'
  /** A number lies outside the range of its field. */
  | 'OUT_OF_RANGE'
  /** An enumeration code or name (or a bit of a permission set) that the field does not define. */
  | 'UNKNOWN_ENUM'
  /** A union tag or a structure's type code that the field does not define. */
  | 'UNKNOWN_TYPE_CODE'
  /** A structure's layout version that this implementation cannot read. */
  | 'UNSUPPORTED_VERSION'
  /** A boolean or presence byte other than 0x00 or 0x01. */
  | 'INVALID_BOOLEAN'
  /** Bytes that are not well-formed UTF-8, or a string that cannot be encoded as UTF-8. */
  | 'INVALID_UTF8'
  /** A hash, key, signature or address the crypto package refuses. */
  | 'INVALID_CRYPTO_VALUE'
  /** Elements of a set or keys of a map not in canonical order, or repeated. */
  | 'NOT_CANONICAL'
  /** A value that breaks a rule of its field (pattern, JSON text, ...). */
  | 'INVALID_VALUE'
  /** A JSON value of the wrong type or form (including bad base64 or decimal strings). */
  | 'INVALID_JSON'
  /** A JSON object member that the structure does not define. */
  | 'UNKNOWN_FIELD'
  /** A required member missing from a JSON object. */
  | 'MISSING_FIELD';

export class CodecError extends Error {
  readonly code: CodecErrorCode;
  /** What went wrong, without the path. */
  readonly detail: string;
  /** Path segments from the innermost outwards; they are added while the error travels up. */
  private readonly reversedPath: string[] = [];

  constructor(code: CodecErrorCode, detail: string) {
    super(detail);
    this.name = 'CodecError';
    this.code = code;
    this.detail = detail;
  }

  /** The field path, e.g. `content.operations[0].address`; empty at the top level. */
  get path(): string {
    let path = '';
    for (let i = this.reversedPath.length - 1; i >= 0; i--) {
      const segment = this.reversedPath[i] as string;
      path += path === '' || segment.startsWith('[') ? segment : `.${segment}`;
    }
    return path;
  }

  /** Records that the error happened inside `segment` (a field name or `[index]`); returns itself. */
  within(segment: string): this {
    this.reversedPath.push(segment);
    this.message = `${this.path}: ${this.detail}`;
    return this;
  }
}

/** Rethrows `error` with `segment` added to its path if it is a CodecError, unchanged otherwise. */
export function rethrowWithin(error: unknown, segment: string): never {
  if (error instanceof CodecError) throw error.within(segment);
  throw error;
}
