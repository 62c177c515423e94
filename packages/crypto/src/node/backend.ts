import { randomBytes as nodeRandomBytes, scryptSync } from 'node:crypto';
import type { CryptoBackend, ScryptParams } from '../backend.js';
import { nodeAead } from './aead.js';
import { nodeHash } from './hashes.js';
import { nodeSignatureScheme } from './signatures.js';

/** The fast backend: sodium-native and node:crypto (see shared/DEPENDENCIES.md). */
export const nodeBackend: CryptoBackend = {
  name: 'node',
  hash: nodeHash,
  signature: nodeSignatureScheme,
  aead: nodeAead,
  scrypt(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Uint8Array {
    // maxmem must cover 128·N·r bytes plus slack, or OpenSSL refuses the parameters.
    const maxmem = 128 * params.N * params.r * params.p + 16 * 1024 * 1024;
    return new Uint8Array(scryptSync(password, salt, params.dkLen, { N: params.N, r: params.r, p: params.p, maxmem }));
  },
  randomBytes(length: number): Uint8Array {
    return new Uint8Array(nodeRandomBytes(length));
  },
};
