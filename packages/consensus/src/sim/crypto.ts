import { PrivKey } from '@jadechain/crypto';
import type { CryptoSuite, PubKey, SignatureDigest } from '@jadechain/crypto';
import type { BftCrypto } from '../bft/crypto.js';
import { hexOf, sameBytes } from '../bft/crypto.js';
import type { Prng } from './prng.js';

interface CachedVerdict {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly valid: boolean;
}

/**
 * Real Ed25519 verification, each distinct (key, message, signature) computed once per run:
 * every simulated node would get the same verdict, so sharing it changes no outcome and keeps
 * thousands of seeds affordable. Counts what was computed.
 */
export class VerifyCache {
  private readonly verdicts = new Map<string, CachedVerdict[]>();
  computed = 0;
  reused = 0;

  constructor(private readonly suite: CryptoSuite) {}

  verify(publicKey: PubKey, message: Uint8Array, signature: SignatureDigest): boolean {
    const key = hexOf(signature.toBytes());
    const keyBytes = publicKey.toBytes();
    const entries = this.verdicts.get(key) ?? [];
    for (const entry of entries) {
      if (sameBytes(entry.publicKey, keyBytes) && sameBytes(entry.message, message)) {
        this.reused++;
        return entry.valid;
      }
    }
    this.computed++;
    const valid = this.suite.verify(publicKey, message, signature);
    entries.push({ publicKey: keyBytes, message: message.slice(), valid });
    this.verdicts.set(key, entries);
    return valid;
  }
}

export interface SimKey {
  readonly privateKey: PrivKey;
  readonly publicKey: PubKey;
}

/** Deterministic Ed25519 keys: the private seed comes from the run's generator. */
export function simKeys(suite: CryptoSuite, prng: Prng, count: number): SimKey[] {
  const keys: SimKey[] = [];
  for (let i = 0; i < count; i++) {
    const privateKey = new PrivKey('ED25519', prng.bytes(32));
    keys.push({ privateKey, publicKey: suite.publicKeyOf(privateKey) });
  }
  return keys;
}

export function simCrypto(suite: CryptoSuite, key: SimKey, cache: VerifyCache): BftCrypto {
  return {
    sign: (message) => suite.sign(key.privateKey, message),
    verify: (publicKey, message, signature) => cache.verify(publicKey, message, signature),
    hash: (data) => suite.hash('SHA256', data),
  };
}
