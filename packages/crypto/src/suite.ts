import type { AeadAlgorithm, HashAlgorithm, SignatureAlgorithm } from './algorithms.js';
import type { CryptoBackend } from './backend.js';
import { HashDigest, PrivKey, PubKey, SignatureDigest } from './encoding.js';
import { CryptoError } from './errors.js';
import { signatureLengthFor } from './raw-forms.js';

export interface KeyPair {
  readonly publicKey: PubKey;
  readonly privateKey: PrivKey;
}

/**
 * The tagged-value face of a backend: what the rest of JadeChain calls. Every input and output
 * carries its algorithm, so callers never pair a key with the wrong scheme by accident.
 */
export interface CryptoSuite {
  readonly backend: CryptoBackend;
  hash(algorithm: HashAlgorithm, data: Uint8Array): HashDigest;
  generateKeyPair(algorithm: SignatureAlgorithm): KeyPair;
  publicKeyOf(privateKey: PrivKey): PubKey;
  sign(privateKey: PrivKey, message: Uint8Array): SignatureDigest;
  /** False (never a throw) when the signature is invalid or its algorithm or size does not fit the key. */
  verify(publicKey: PubKey, message: Uint8Array, signature: SignatureDigest): boolean;
  /** Encrypts under a fresh random nonce; returns nonce ‖ ciphertext ‖ tag. */
  seal(algorithm: AeadAlgorithm, key: Uint8Array, plaintext: Uint8Array, associatedData?: Uint8Array): Uint8Array;
  /** Opens what `seal` returned; CryptoError DECRYPTION_FAILED if anything was altered. */
  open(algorithm: AeadAlgorithm, key: Uint8Array, box: Uint8Array, associatedData?: Uint8Array): Uint8Array;
}

export function createCryptoSuite(backend: CryptoBackend): CryptoSuite {
  // A PrivKey is immutable, so its bound signer lives exactly as long as the key object.
  const signers = new WeakMap<PrivKey, (message: Uint8Array) => Uint8Array>();
  // Deriving a public key costs as much as a signature; a node names its own key in every one.
  const publicKeys = new WeakMap<PrivKey, PubKey>();
  return {
    backend,
    hash(algorithm, data) {
      return new HashDigest(algorithm, backend.hash(algorithm).digest(data));
    },
    generateKeyPair(algorithm) {
      const pair = backend.signature(algorithm).generateKeyPair();
      return { publicKey: new PubKey(algorithm, pair.publicKey), privateKey: new PrivKey(algorithm, pair.privateKey) };
    },
    publicKeyOf(privateKey) {
      let publicKey = publicKeys.get(privateKey);
      if (publicKey === undefined) {
        const { algorithm } = privateKey;
        publicKey = new PubKey(algorithm, backend.signature(algorithm).derivePublicKey(privateKey.raw));
        publicKeys.set(privateKey, publicKey);
      }
      return publicKey;
    },
    sign(privateKey, message) {
      const { algorithm } = privateKey;
      const scheme = backend.signature(algorithm);
      if (scheme.signer === undefined) return new SignatureDigest(algorithm, scheme.sign(privateKey.raw, message));
      let signer = signers.get(privateKey);
      if (signer === undefined) {
        signer = scheme.signer(privateKey.raw);
        signers.set(privateKey, signer);
      }
      return new SignatureDigest(algorithm, signer(message));
    },
    verify(publicKey, message, signature) {
      if (publicKey.algorithm !== signature.algorithm) return false;
      const rawPublicKey = publicKey.raw;
      const rawSignature = signature.raw;
      // An RSA signature made with a key of another size cannot be parsed against this key.
      if (rawSignature.length !== signatureLengthFor(publicKey.algorithm, rawPublicKey)) return false;
      return backend.signature(publicKey.algorithm).verify(rawPublicKey, message, rawSignature);
    },
    seal(algorithm, key, plaintext, associatedData) {
      const cipher = backend.aead(algorithm);
      const nonce = backend.randomBytes(cipher.nonceLength);
      const sealed = cipher.seal(key, nonce, plaintext, associatedData);
      const box = new Uint8Array(nonce.length + sealed.length);
      box.set(nonce);
      box.set(sealed, nonce.length);
      return box;
    },
    open(algorithm, key, box, associatedData) {
      const cipher = backend.aead(algorithm);
      if (box.length < cipher.nonceLength + cipher.tagLength) {
        throw new CryptoError('DECRYPTION_FAILED', `${algorithm}: sealed box of ${box.length} bytes is too short`);
      }
      const nonce = box.subarray(0, cipher.nonceLength);
      return cipher.open(key, nonce, box.subarray(cipher.nonceLength), associatedData);
    },
  };
}
