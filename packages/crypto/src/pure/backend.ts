import { scrypt } from '@noble/hashes/scrypt.js';
import type { CryptoBackend, ScryptParams } from '../backend.js';
import { pureAead } from './aead.js';
import { pureHash } from './hashes.js';
import { pureSignatureScheme } from './signatures.js';

/** The JavaScript-only backend, for browsers; gives the same bytes as the node backend. */
export const pureBackend: CryptoBackend = {
  name: 'pure',
  hash: pureHash,
  signature: pureSignatureScheme,
  aead: pureAead,
  scrypt(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Uint8Array {
    return scrypt(password, salt, { N: params.N, r: params.r, p: params.p, dkLen: params.dkLen, maxmem: 2 ** 32 });
  },
  randomBytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    // getRandomValues fills at most 65536 bytes per call.
    for (let offset = 0; offset < length; offset += 65536) {
      globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
    }
    return out;
  },
};
