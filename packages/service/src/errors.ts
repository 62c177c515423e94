/**
 * Failures of the peer, the gateway and the protocol between them. The codes are wire codes
 * (upper case, digits, underscores): a request handler that throws one sends it back in the
 * transport's ERROR frame, and the gateway turns it into its HTTP answer, so the same code names
 * a refusal in the peer's log, on the wire, in the gateway's answer and in both metrics.
 */
export type NodeErrorCode =
  /** A configuration file is missing, is not JSON, or a field breaks its rule (`field` says which). */
  | 'CONFIG_INVALID'
  /** A key file cannot be read or opened with the password given. */
  | 'KEY_UNAVAILABLE'
  /** A protocol message does not decode. */
  | 'MALFORMED_MESSAGE'
  /** A batch names a ledger this peer does not hold. */
  | 'UNKNOWN_LEDGER'
  /** The batch co-signature is not the connection's identity's valid signature of the batch. */
  | 'BAD_BATCH_SIGNATURE'
  /** The gateway is not a registered NORMAL user holding APPROVE_TX on the ledger. */
  | 'UNAUTHORIZED_GATEWAY'
  /** The peer or the ledger it asked cannot take the batch now (stopping, not ready). */
  | 'UNAVAILABLE';

export class NodeError extends Error {
  readonly code: NodeErrorCode;

  constructor(code: NodeErrorCode, message: string) {
    super(message);
    this.name = 'NodeError';
    this.code = code;
  }
}

/** A configuration problem, naming the field (a dotted path such as `p2p.port`). */
export class ConfigError extends NodeError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('CONFIG_INVALID', `${field}: ${message}`);
    this.name = 'ConfigError';
    this.field = field;
  }
}
