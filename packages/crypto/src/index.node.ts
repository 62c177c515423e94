import { nodeBackend } from './node/backend.js';
import { createCryptoSuite } from './suite.js';

export * from './index.js';
export { KeystoreDir, type KeyEntry } from './keystore-dir.js';

/** The fast backend: sodium-native and node:crypto. */
export const backend = nodeBackend;
export const cryptoSuite = createCryptoSuite(nodeBackend);
