/**
 * Every failure of the transport is a TransportError with a stable `code`. The same codes name
 * the reasons in CLOSE frames, in log lines and in the metrics, so an operator can follow one
 * refused connection from the peer's log to the gateway's counters.
 */
export type TransportErrorCode =
  /** A frame's length field exceeds the limit in force (handshake or open connection). */
  | 'FRAME_TOO_LARGE'
  /** A frame whose type is unknown or whose payload does not have its type's layout. */
  | 'MALFORMED_FRAME'
  /** A frame that is well-formed but not allowed now (data before HELLO, a second HELLO, no ALPN). */
  | 'PROTOCOL_VIOLATION'
  /** The TLS handshake itself failed (TLS 1.2 or older, no shared ALPN protocol, bad record). */
  | 'TLS_ERROR'
  /** The remote presented no TLS certificate. */
  | 'NO_CERTIFICATE'
  /** The certificate or key material is unusable (not Ed25519 or P-256, key and certificate differ). */
  | 'BAD_CERTIFICATE'
  /** The binding does not decode, or its signature does not verify under its identity key. */
  | 'BAD_BINDING'
  /** The binding is outside its validity window. */
  | 'BINDING_EXPIRED'
  /** The binding names a transport key other than the one of the TLS certificate presented. */
  | 'TRANSPORT_KEY_MISMATCH'
  /** The identity is not on the allow-list (or is not the one the dialer expected). */
  | 'UNAUTHORIZED_PEER'
  /** No HELLO arrived within the handshake timeout. */
  | 'HANDSHAKE_TIMEOUT'
  /** The remote refused the handshake; `remoteCode` says why. */
  | 'REJECTED_BY_PEER'
  /** Nothing arrived within the idle timeout (not even a heartbeat). */
  | 'IDLE_TIMEOUT'
  /** The send queue (or the number of outstanding requests) is at its limit. */
  | 'QUEUE_FULL'
  /** A request got no response within its timeout. */
  | 'TIMEOUT'
  /** The connection is closed or closing. */
  | 'CLOSED'
  /** A reconnecting client has no open connection at the moment. */
  | 'NOT_CONNECTED'
  /** No TCP connection could be made (refused, unreachable). */
  | 'CONNECT_FAILED'
  /** The socket ended or failed without a CLOSE frame. */
  | 'CONNECTION_LOST'
  /** The remote's request handler failed; `remoteCode` carries the code it sent. */
  | 'REMOTE_ERROR'
  /** A server could not bind its address (in use, not permitted). */
  | 'LISTEN_FAILED'
  /** The options given are inconsistent. */
  | 'INVALID_OPTIONS';

export class TransportError extends Error {
  readonly code: TransportErrorCode;
  /** For REJECTED_BY_PEER and REMOTE_ERROR: the code the remote sent. */
  readonly remoteCode: string | undefined;

  constructor(code: TransportErrorCode, message: string, remoteCode?: string) {
    super(message);
    this.name = 'TransportError';
    this.code = code;
    this.remoteCode = remoteCode;
  }
}

/** Codes sent on the wire (CLOSE and ERROR frames): upper-case ASCII, digits and underscores. */
export const WIRE_CODE_PATTERN = /^[A-Z0-9_]{1,64}$/;

/** Codes a request handler may send back besides its own (see spec/transport.md §5). */
export const NO_HANDLER = 'NO_HANDLER';
export const BUSY = 'BUSY';
export const HANDLER_FAILED = 'HANDLER_FAILED';
/** The code of a CLOSE frame sent by an orderly shutdown. */
export const NORMAL_CLOSE = 'NORMAL';
