export { Mempool } from './mempool.js';
export type { Eviction, MempoolOptions } from './mempool.js';
export { MempoolError } from './errors.js';
export type { Admission, MempoolErrorCode, RefusalCode } from './errors.js';
export { SignatureWorkerPool } from './signature-pool.js';
export type { BatchSignatureVerifier, SignatureWorkerPoolOptions } from './signature-pool.js';
