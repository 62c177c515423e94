import { CryptoError, cryptoSuite, type PrivKey, type PubKey, type SignatureDigest } from '@jadechain/crypto';
import { CodecError, enumeration, pubKey, signatureDigest, struct, u8, uint64 } from '@jadechain/types';
import { TransportError } from './errors.js';

/**
 * The transport binding (spec/transport.md §2): a node's ledger identity key signs a statement
 * "my transport key is T, for role R, from notBefore until notAfter". TLS proves that the remote
 * holds T's private key; the binding turns T into a ledger identity, whatever that identity's
 * algorithm (SM2 included, which TLS itself cannot carry).
 */
export type NodeRole = 'PEER' | 'GATEWAY';
export type TransportAlgorithm = 'ED25519' | 'ECDSA-P256';

export const BINDING_VERSION = 1;
/** ASCII domain tag in front of the signed bytes; its first bytes (4a 41) are no hash code. */
export const BINDING_DOMAIN_TEXT = 'JADECHAIN/TRANSPORT-BINDING\0';
const BINDING_DOMAIN = new TextEncoder().encode(BINDING_DOMAIN_TEXT);

const NODE_ROLE = enumeration<NodeRole>('NodeRole', { PEER: 1, GATEWAY: 2 });

const contentFields = {
  version: u8,
  identityKey: pubKey,
  transportKey: pubKey,
  role: NODE_ROLE,
  notBefore: uint64,
  notAfter: uint64,
};
const BindingContentCodec = struct(contentFields);
const BindingCodec = struct({ ...contentFields, signature: signatureDigest });

export interface TransportBinding {
  readonly identityKey: PubKey;
  readonly transportKey: PubKey;
  readonly role: NodeRole;
  /** Milliseconds since the Unix epoch; the binding is valid in [notBefore, notAfter). */
  readonly notBefore: number;
  readonly notAfter: number;
  readonly signature: SignatureDigest;
}

export type BindingContent = Omit<TransportBinding, 'signature'>;

export function isTransportAlgorithm(algorithm: string): algorithm is TransportAlgorithm {
  return algorithm === 'ED25519' || algorithm === 'ECDSA-P256';
}

function checkContent(content: BindingContent): void {
  if (!isTransportAlgorithm(content.transportKey.algorithm)) {
    throw new TransportError('BAD_BINDING', `transport key algorithm ${content.transportKey.algorithm} is not ED25519 or ECDSA-P256`);
  }
  for (const time of [content.notBefore, content.notAfter]) {
    if (!Number.isSafeInteger(time) || time < 0) throw new TransportError('BAD_BINDING', `validity time ${time} is not a millisecond timestamp`);
  }
  if (content.notBefore >= content.notAfter) throw new TransportError('BAD_BINDING', 'validity window is empty (notBefore ≥ notAfter)');
}

function toWire(content: BindingContent): Parameters<typeof BindingContentCodec.encode>[0] {
  return {
    version: BINDING_VERSION,
    identityKey: content.identityKey,
    transportKey: content.transportKey,
    role: content.role,
    notBefore: BigInt(content.notBefore),
    notAfter: BigInt(content.notAfter),
  };
}

/** The bytes the identity key signs: the domain tag ‖ the encoded content. */
export function bindingMessage(content: BindingContent): Uint8Array {
  checkContent(content);
  const encoded = BindingContentCodec.encode(toWire(content));
  const message = new Uint8Array(BINDING_DOMAIN.length + encoded.length);
  message.set(BINDING_DOMAIN);
  message.set(encoded, BINDING_DOMAIN.length);
  return message;
}

export interface BindingRequest {
  readonly identityPrivateKey: PrivKey;
  readonly transportKey: PubKey;
  readonly role: NodeRole;
  readonly notBefore: number;
  readonly notAfter: number;
}

/** Signs a binding of `transportKey` to the identity of `identityPrivateKey`. */
export function createTransportBinding(request: BindingRequest): TransportBinding {
  const content: BindingContent = {
    identityKey: cryptoSuite.publicKeyOf(request.identityPrivateKey),
    transportKey: request.transportKey,
    role: request.role,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
  };
  return { ...content, signature: cryptoSuite.sign(request.identityPrivateKey, bindingMessage(content)) };
}

/** The wire form carried in a HELLO frame: the encoded content followed by the signature. */
export function encodeBinding(binding: TransportBinding): Uint8Array {
  checkContent(binding);
  return BindingCodec.encode({ ...toWire(binding), signature: binding.signature });
}

/** Decodes a binding strictly (BAD_BINDING); does not verify its signature. */
export function decodeBinding(bytes: Uint8Array): TransportBinding {
  let wire: ReturnType<typeof BindingCodec.decode>;
  try {
    wire = BindingCodec.decode(bytes);
  } catch (error) {
    if (error instanceof CodecError) throw new TransportError('BAD_BINDING', `binding does not decode: ${error.message}`);
    throw error;
  }
  if (wire.version !== BINDING_VERSION) throw new TransportError('BAD_BINDING', `binding version ${wire.version} is not supported`);
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  if (wire.notBefore > limit || wire.notAfter > limit) throw new TransportError('BAD_BINDING', 'validity time out of range');
  const binding: TransportBinding = {
    identityKey: wire.identityKey,
    transportKey: wire.transportKey,
    role: wire.role,
    notBefore: Number(wire.notBefore),
    notAfter: Number(wire.notAfter),
    signature: wire.signature,
  };
  checkContent(binding);
  return binding;
}

export interface BindingCheck {
  /** The public key of the certificate the remote presented in the TLS handshake. */
  readonly presentedTransportKey: PubKey;
  /** Wall-clock milliseconds now. */
  readonly now: number;
  /** Tolerated difference between the two nodes' clocks, in milliseconds. */
  readonly clockSkewMs: number;
}

/**
 * Checks a decoded binding against the TLS session it arrived on: the transport key must be the
 * presented one (TRANSPORT_KEY_MISMATCH), the time inside the window (BINDING_EXPIRED) and the
 * signature valid under the identity key (BAD_BINDING). Cheap checks come first, so a replayed
 * or stale binding costs no signature verification.
 */
export function verifyBinding(binding: TransportBinding, check: BindingCheck): void {
  if (!binding.transportKey.equals(check.presentedTransportKey)) {
    throw new TransportError('TRANSPORT_KEY_MISMATCH', 'the binding is for another transport key than the certificate presented');
  }
  if (check.now + check.clockSkewMs < binding.notBefore) {
    throw new TransportError('BINDING_EXPIRED', `binding is not valid before ${new Date(binding.notBefore).toISOString()}`);
  }
  if (check.now - check.clockSkewMs >= binding.notAfter) {
    throw new TransportError('BINDING_EXPIRED', `binding expired at ${new Date(binding.notAfter).toISOString()}`);
  }
  let valid: boolean;
  try {
    valid = cryptoSuite.verify(binding.identityKey, bindingMessage(binding), binding.signature);
  } catch (error) {
    // Only an unparsable key or signature throws; for the handshake that is a bad binding too.
    if (error instanceof CryptoError) valid = false;
    else throw error;
  }
  if (!valid) throw new TransportError('BAD_BINDING', 'binding signature does not verify under its identity key');
}
