/**
 * Hard bounds of the encoding: a decoder refuses anything larger before looking further. They
 * sit above every value a ledger's settings may choose (the settings' own, usually smaller,
 * limits are enforced by the ledger's validation), and keep a hostile input from making a decoder
 * allocate without bound. spec/encoding.md lists them.
 */
export const CodecLimits = Object.freeze({
  /** Bytes of a KV value, event content or contract argument (JD Chain: 8 MiB per value). */
  MAX_VALUE_BYTES: 8 * 1024 * 1024,
  /** Bytes of contract code. */
  MAX_CODE_BYTES: 8 * 1024 * 1024,
  /** Operations in a transaction, and derived operations in a result. */
  MAX_OPERATIONS: 4096,
  /** Entries in one KV set or event publish operation. */
  MAX_WRITES_PER_OPERATION: 4096,
  /** Endpoint or node signatures on one transaction. */
  MAX_SIGNATURES: 64,
  /** UTF-8 bytes of a KV key. */
  MAX_KEY_BYTES: 1024,
  /** UTF-8 bytes of an event topic. */
  MAX_TOPIC_BYTES: 256,
  /** UTF-8 bytes of a contract method name. */
  MAX_METHOD_BYTES: 256,
  /** Arguments of a contract invocation. */
  MAX_ARGUMENTS: 256,
  /** UTF-8 bytes of a PEM certificate. */
  MAX_CERTIFICATE_BYTES: 64 * 1024,
  /** Root certificates in the settings. */
  MAX_ROOT_CERTIFICATES: 64,
  /** UTF-8 bytes of a participant name or a consensus provider name. */
  MAX_NAME_BYTES: 128,
  /** Entries of the consensus properties map, and UTF-8 bytes of one property value. */
  MAX_CONSENSUS_PROPERTIES: 1024,
  MAX_CONSENSUS_PROPERTY_BYTES: 4096,
  /** Participants of a ledger, votes of a commit certificate. */
  MAX_PARTICIPANTS: 1024,
  /** Roles defined or named in one structure. */
  MAX_ROLES: 1024,
  /** Users named in one authorization, genesis users, owners of an account. */
  MAX_USERS: 4096,
  MAX_OWNERS: 64,
  /** Signature algorithms a ledger allows. */
  MAX_SIGNATURE_ALGORITHMS: 16,
  /** Bytes of a ledger seed. */
  MAX_SEED_BYTES: 64,
  /** Bytes of a transaction nonce: 8 to 32, chosen at random by the client. */
  MIN_NONCE_BYTES: 8,
  MAX_NONCE_BYTES: 32,
  /** Characters of a role name (ASCII letters, digits, '_', '-', '.'). */
  MAX_ROLE_NAME_CHARS: 20,
  /** Account mode bits: 10 bits, JD Chain's `c rwx rwx rwx`. */
  MAX_MODE_BITS: 0x3ff,
});
