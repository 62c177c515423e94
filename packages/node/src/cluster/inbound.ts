import { CryptoError } from '@jadechain/crypto';
import type { Connection } from '@jadechain/p2p';
import { CodecError, type Codec } from '@jadechain/types';

/** Why a one-way message from another node was dropped before any ledger looked at it. */
export type InboundRefusal = 'OVERSIZED' | 'UNKNOWN_KEY' | 'MALFORMED';

/**
 * Decodes a one-way message on a peer channel, checked in the order every route uses: its size
 * (before any decoding work), that the sender is a peer (gateways and unknown keys send none),
 * then the decoding itself. Undefined, with `refuse` told why, when a check fails.
 */
export function decodeFromPeer<T>(body: Uint8Array, from: Connection, codec: Codec<T>, maxBytes: number, refuse: (reason: InboundRefusal) => void): T | undefined {
  if (body.length > maxBytes) {
    refuse('OVERSIZED');
    return undefined;
  }
  if (from.peer.role !== 'PEER') {
    refuse('UNKNOWN_KEY');
    return undefined;
  }
  try {
    return codec.decode(body);
  } catch (error) {
    if (!(error instanceof CodecError || error instanceof CryptoError)) throw error;
    refuse('MALFORMED');
    return undefined;
  }
}
