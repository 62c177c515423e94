import { PubKey, SignatureDigest, cryptoSuite } from '@jadechain/crypto/node';
import type { EncodedTask } from './wire.js';

/** One signature check with the node backend (sodium-native for Ed25519), in whichever thread calls it. */
export function verifyTask(task: EncodedTask): boolean {
  try {
    return cryptoSuite.verify(PubKey.fromBytes(task.publicKey), task.message, SignatureDigest.fromBytes(task.signature));
  } catch {
    // A key or signature that does not decode (unknown algorithm, wrong length) is not a valid signature.
    return false;
  }
}
