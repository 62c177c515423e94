import { SpanNoting, bytes, hashDigest, int64, list, record, struct, u32, uint64 } from '../codec/index.js';
import type { Infer } from '../codec/index.js';
import { transactionStateCodec } from './enums.js';
import { CodecLimits } from './limits.js';
import { Operation } from './operations.js';
import { DigitalSignature, TypedValue } from './values.js';

/**
 * What a client signs. The transaction hash is the hash of this record's encoding with the
 * ledger's hash algorithm (`transactionHash`). `timestamp` is in milliseconds since the epoch;
 * `nonce` is 8 to 32 random bytes chosen by the client, so that identical operations sent in the
 * same millisecond remain distinct transactions (JD Chain has no nonce).
 */
export const TransactionContent = record('TransactionContent', 0x0200, {
  ledgerHash: hashDigest,
  operations: list(Operation, { min: 1, max: CodecLimits.MAX_OPERATIONS }),
  timestamp: int64,
  nonce: bytes(CodecLimits.MIN_NONCE_BYTES, CodecLimits.MAX_NONCE_BYTES),
});
export type TransactionContent = Infer<typeof TransactionContent>;

/**
 * A transaction as submitted: its content, the users' endpoint signatures and the gateways' node
 * signatures, each over the tagged bytes of the transaction hash. Unlike JD Chain, the request
 * does not repeat the transaction hash: it is always recomputed from the content.
 */
/** The request's content field: notes where the content lay, for `decodeTransactionRequest`. */
const requestContent = new SpanNoting(TransactionContent);

export const TransactionRequest = record('TransactionRequest', 0x0202, {
  content: requestContent,
  endpointSignatures: list(DigitalSignature, { max: CodecLimits.MAX_SIGNATURES }),
  nodeSignatures: list(DigitalSignature, { max: CodecLimits.MAX_SIGNATURES }),
});
export type TransactionRequest = Infer<typeof TransactionRequest>;

/**
 * Decodes a request (as strictly as `TransactionRequest.decode`) and hands back, beside it, its
 * content's canonical encoding: a view into `bytes`, equal to `TransactionContent.encode(content)`
 * (spec/encoding.md: one encoding per value, a nested record encoded as on its own). Hashing it
 * gives the transaction hash without encoding the content again, which a gateway and every peer
 * otherwise did once per transaction. The view shares `bytes`: hash it before `bytes` can change.
 */
export function decodeTransactionRequest(bytes: Uint8Array): { readonly request: TransactionRequest; readonly contentBytes: Uint8Array } {
  const request = TransactionRequest.decode(bytes);
  const [start, end] = requestContent.lastSpan();
  return { request, contentBytes: bytes.subarray(start, end) };
}

/** The return value of the operation at `index` of the transaction (only operations that return one). */
export const OperationResult = struct({ index: u32, value: TypedValue });
export type OperationResult = Infer<typeof OperationResult>;

/**
 * How a transaction ended, in the block at `blockHeight`. `derivedOperations` are the operations
 * a contract performed on the transaction's behalf.
 */
export const TransactionResult = record('TransactionResult', 0x0203, {
  transactionHash: hashDigest,
  blockHeight: uint64,
  state: transactionStateCodec,
  operationResults: list(OperationResult, { max: CodecLimits.MAX_OPERATIONS }),
  derivedOperations: list(Operation, { max: CodecLimits.MAX_OPERATIONS }),
});
export type TransactionResult = Infer<typeof TransactionResult>;
