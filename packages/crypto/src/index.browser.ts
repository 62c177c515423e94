import { pureBackend } from './pure/backend.js';
import { createCryptoSuite } from './suite.js';

export * from './index.js';

/** The JavaScript-only backend: same bytes as the node one, no native code. */
export const backend = pureBackend;
export const cryptoSuite = createCryptoSuite(pureBackend);
