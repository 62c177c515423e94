/**
 * The ledger checks transaction signatures through a SignatureCache (@jadechain/crypto): by
 * default verifying in the calling thread; a peer verifies in worker threads instead and records
 * the good ones with `SignatureCache.remember`, so that the checks made while building and
 * executing blocks are cache hits. `message` of a task is the tagged transaction hash.
 */
export { DEFAULT_SIGNATURE_CACHE_CAPACITY, SignatureCache, type SignatureTask, type SignatureVerifier } from '@jadechain/crypto';
