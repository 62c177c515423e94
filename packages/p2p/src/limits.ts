import { TransportError } from './errors.js';

/** Limits and timeouts of a connection; spec/transport.md §6 explains each. */
export interface TransportLimits {
  /** Largest frame (length field value) accepted or sent once a connection is authenticated. */
  readonly maxFrameBytes: number;
  /** Frames waiting to be written, beyond the socket's own buffer, before sends are refused. */
  readonly maxQueuedFrames: number;
  /** Bytes waiting to be written, beyond the socket's own buffer, before sends are refused. */
  readonly maxQueuedBytes: number;
  /** Requests sent and not yet answered, per connection. */
  readonly maxPendingRequests: number;
  /** Requests received and not yet answered, per connection; more are answered BUSY. */
  readonly maxIncomingRequests: number;
  /** Default time a request waits for its response. */
  readonly requestTimeoutMs: number;
  /** Time from the TLS handshake to the remote's HELLO (and to our verdict on it). */
  readonly handshakeTimeoutMs: number;
  /** A HEARTBEAT is sent when nothing else was sent for this long. */
  readonly heartbeatMs: number;
  /** A connection on which nothing arrived for this long is closed (IDLE_TIMEOUT); at least 2 × heartbeatMs. */
  readonly idleTimeoutMs: number;
  /** How long an orderly close waits for outstanding work, and a closing socket for the remote. */
  readonly closeTimeoutMs: number;
  /** Tolerated clock difference when checking a binding's validity window. */
  readonly clockSkewMs: number;
}

/** Largest frame before authentication: a HELLO with an RSA-4096 identity fits with room to spare. */
export const HANDSHAKE_MAX_FRAME_BYTES = 8 * 1024;

export const DEFAULT_LIMITS: TransportLimits = {
  maxFrameBytes: 4 * 1024 * 1024,
  maxQueuedFrames: 8192,
  maxQueuedBytes: 16 * 1024 * 1024,
  maxPendingRequests: 4096,
  maxIncomingRequests: 4096,
  requestTimeoutMs: 10_000,
  handshakeTimeoutMs: 10_000,
  heartbeatMs: 5_000,
  idleTimeoutMs: 20_000,
  closeTimeoutMs: 5_000,
  clockSkewMs: 5 * 60_000,
};

/** Fills in defaults and refuses inconsistent settings (INVALID_OPTIONS). */
export function resolveLimits(overrides: Partial<TransportLimits> = {}): TransportLimits {
  const limits: TransportLimits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < (name === 'clockSkewMs' ? 0 : 1)) {
      throw new TransportError('INVALID_OPTIONS', `${name} must be a positive integer, got ${String(value)}`);
    }
  }
  if (limits.maxFrameBytes > 0xffffffff) throw new TransportError('INVALID_OPTIONS', 'maxFrameBytes must fit the u32 length field');
  if (limits.maxFrameBytes < HANDSHAKE_MAX_FRAME_BYTES) {
    throw new TransportError('INVALID_OPTIONS', `maxFrameBytes must be at least ${HANDSHAKE_MAX_FRAME_BYTES}`);
  }
  if (limits.maxQueuedBytes < limits.maxFrameBytes) {
    throw new TransportError('INVALID_OPTIONS', 'maxQueuedBytes must hold at least one frame of maxFrameBytes');
  }
  // Heartbeats go out up to 1.5 heartbeat periods apart (see Connection); twice that is the floor.
  if (limits.idleTimeoutMs < 2 * limits.heartbeatMs) {
    throw new TransportError('INVALID_OPTIONS', 'idleTimeoutMs must be at least twice heartbeatMs, or idle but healthy connections would close');
  }
  return limits;
}
