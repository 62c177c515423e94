import type { PrivKey } from '@jadechain/crypto';
import { createTransportBinding, encodeBinding, type NodeRole, type TransportBinding } from './binding.js';
import { TransportError } from './errors.js';
import type { TransportKey } from './transport-key.js';

/** What a node presents when it connects: its transport key and that key's binding. */
export interface NodeCredentials {
  readonly transportKey: TransportKey;
  readonly binding: TransportBinding;
}

export interface CredentialsRequest {
  readonly identityPrivateKey: PrivKey;
  readonly transportKey: TransportKey;
  readonly role: NodeRole;
  /** Start of validity, wall-clock milliseconds. */
  readonly notBefore: number;
  /** End of validity (exclusive), wall-clock milliseconds. */
  readonly notAfter: number;
}

/** Signs a binding for `transportKey` with the identity key and pairs the two. */
export function createNodeCredentials(request: CredentialsRequest): NodeCredentials {
  const binding = createTransportBinding({
    identityPrivateKey: request.identityPrivateKey,
    transportKey: request.transportKey.publicKey,
    role: request.role,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
  });
  return { transportKey: request.transportKey, binding };
}

/**
 * Checks that credentials are usable before any socket opens, and returns the HELLO payload: a
 * binding made for another transport key would be refused by every remote, so it is refused here.
 */
export function helloPayloadOf(credentials: NodeCredentials): Uint8Array {
  if (!credentials.binding.transportKey.equals(credentials.transportKey.publicKey)) {
    throw new TransportError('TRANSPORT_KEY_MISMATCH', 'the credentials\' binding is for another transport key');
  }
  return encodeBinding(credentials.binding);
}
