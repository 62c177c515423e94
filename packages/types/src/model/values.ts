import {
  CodecError,
  address,
  bool,
  bytes,
  hashDigest,
  int64,
  optional,
  pubKey,
  set,
  signatureDigest,
  struct,
  text,
  uint,
  union,
} from '../codec/index.js';
import type { Infer } from '../codec/index.js';
import { DataType } from './enums.js';
import { CodecLimits } from './limits.js';

/**
 * Building blocks shared by several structures: role names, certificates, typed values,
 * signatures and account permissions.
 */

const ROLE_NAME_PATTERN = /^[A-Z0-9_.-]{1,20}$/;

/**
 * A role name in canonical form: 1 to 20 characters from A–Z, 0–9, '_', '-', '.'. Role names are
 * case-insensitive (as in JD Chain); the canonical form is upper case, and the codec accepts only
 * that form, so one role has one encoding. Use `normalizeRoleName` on user input.
 */
export const RoleName = text({ min: 1, max: CodecLimits.MAX_ROLE_NAME_CHARS, pattern: ROLE_NAME_PATTERN });

/** The canonical (upper-case) form of a role name typed in any case; CodecError if it cannot be one. */
export function normalizeRoleName(name: string): string {
  const canonical = name.replace(/[a-z]/g, (letter) => letter.toUpperCase());
  if (!ROLE_NAME_PATTERN.test(canonical)) {
    throw new CodecError('INVALID_VALUE', `"${name.slice(0, 40)}" is not a role name (1-20 of A-Z 0-9 _ - .)`);
  }
  return canonical;
}

/** An X.509 certificate in PEM text (checked by the ledger in CA mode, not here). */
export const Certificate = text({ min: 1, max: CodecLimits.MAX_CERTIFICATE_BYTES });

/**
 * A value with its type: a 1-byte DataType code, then the payload of that type (nothing for
 * NIL). JSON: `{"type": "<DataType name>", "value": ...}` with the payload's JSON form (INT64 and
 * TIMESTAMP as decimal strings; JSON as the JSON text itself, kept byte for byte).
 */
export const TypedValue = union(
  'TypedValue',
  { tagBytes: 1, versioned: false },
  {
    NIL: { code: DataType.NIL, fields: {} },
    BOOLEAN: { code: DataType.BOOLEAN, fields: { value: bool } },
    INT64: { code: DataType.INT64, fields: { value: int64 } },
    /** Milliseconds since 1970-01-01T00:00:00Z. */
    TIMESTAMP: { code: DataType.TIMESTAMP, fields: { value: int64 } },
    TEXT: { code: DataType.TEXT, fields: { value: text({ max: CodecLimits.MAX_VALUE_BYTES }) } },
    JSON: { code: DataType.JSON, fields: { value: text({ max: CodecLimits.MAX_VALUE_BYTES, jsonText: true }) } },
    BYTES: { code: DataType.BYTES, fields: { value: bytes(0, CodecLimits.MAX_VALUE_BYTES) } },
    PUBKEY: { code: DataType.PUBKEY, fields: { value: pubKey } },
    SIGNATURE: { code: DataType.SIGNATURE, fields: { value: signatureDigest } },
    HASH: { code: DataType.HASH, fields: { value: hashDigest } },
  },
);
export type TypedValue = Infer<typeof TypedValue>;

/** A public key and its signature (endpoint, node and init signatures). */
export const DigitalSignature = struct({ pubKey, signature: signatureDigest });
export type DigitalSignature = Infer<typeof DigitalSignature>;

/**
 * Who may do what to a data, event or contract account (JD Chain DataPermission): the owners (a
 * set of addresses), mode bits like chmod (`c rwx rwx rwx`: 10 bits) and an optional role.
 */
export const AccountPermission = struct({
  owners: set(address, { max: CodecLimits.MAX_OWNERS }),
  modeBits: uint(2, CodecLimits.MAX_MODE_BITS),
  role: optional(RoleName),
});
export type AccountPermission = Infer<typeof AccountPermission>;
