import type { PrivKey, PubKey } from '@jadechain/crypto';
import { CryptoError, cryptoSuite } from '@jadechain/crypto';
import {
  CodecError,
  DigitalSignature,
  bytes,
  enumeration,
  hashDigest,
  list,
  optional,
  record,
  struct,
  text,
  transactionStateCodec,
  u16,
  uint64,
  type Codec,
} from '@jadechain/types';
import { NodeError } from './errors.js';

/**
 * The gateway↔peer protocol (spec/node-protocol.md) on top of the authenticated transport: the
 * channels and the canonical-codec records they carry.
 */
export const CHANNEL = Object.freeze({
  /** REQUEST SubmitBatch → RESPONSE SubmitAck. */
  SUBMIT: 0x0100,
  /** MESSAGE ResultNotice, peer → the gateway that submitted. */
  RESULT: 0x0101,
  /** REQUEST QueryRequest → RESPONSE QueryResponse. */
  QUERY: 0x0102,
});

/** Most transactions in one batch (the gateway's micro-batches are far smaller). */
export const MAX_BATCH_TRANSACTIONS = 4096;
/** A transaction's bytes are bounded by the frame; the ledger's own limit is checked by the peer. */
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;
/**
 * The most transaction bytes one SubmitBatch carries, so that the batch (with its length
 * prefixes, at most 5 bytes per transaction, and the gateway's signature) fits the transport's
 * 4 MiB frame with room to spare. A gateway refuses a single transaction above it.
 */
export const MAX_SUBMIT_BATCH_BYTES = 4 * 1024 * 1024 - 64 * 1024;
const MAX_JSON_BYTES = 4 * 1024 * 1024 - 64;
const CODE = text({ min: 1, max: 64, pattern: /^[A-Z0-9_]+$/ });

/** What the gateway's batch co-signature covers: the ledger and each transaction's canonical bytes, in order. */
export const SubmitContent = record('NodeSubmitContent', 0x0160, {
  ledgerHash: hashDigest,
  transactions: list(bytes(1, MAX_TRANSACTION_BYTES), { min: 1, max: MAX_BATCH_TRANSACTIONS }),
});
export type SubmitContent = ReturnType<typeof SubmitContent.decode>;

export const SubmitBatch = record('NodeSubmitBatch', 0x0161, {
  content: SubmitContent,
  gatewaySignature: DigitalSignature,
});
export type SubmitBatch = ReturnType<typeof SubmitBatch.decode>;

/** ADMITTED: in the mempool (or already there); COMMITTED: recorded before (result attached); REFUSED: see code. */
export type SubmitStatus = 'ADMITTED' | 'COMMITTED' | 'REFUSED';
const submitStatus = enumeration<SubmitStatus>('SubmitStatus', { ADMITTED: 1, COMMITTED: 2, REFUSED: 3 });

/**
 * A committed transaction's outcome: where it was recorded and how it ended. The block hash lets a
 * gateway talking to several peers take the outcome as final once f+1 of them name the same block.
 */
export const TransactionOutcome = struct({ transactionHash: hashDigest, blockHeight: uint64, blockHash: hashDigest, state: transactionStateCodec });
export type TransactionOutcome = ReturnType<typeof TransactionOutcome.decode>;

/** One answer per transaction of the batch, in batch order. */
export const SubmitVerdict = struct({
  status: submitStatus,
  /** Absent only when the transaction did not even decode. */
  transactionHash: optional(hashDigest),
  /** REFUSED: the reason's code (the ledger's check codes, MEMPOOL_FULL, ...). Empty text otherwise. */
  code: text({ max: 64 }),
  message: text({ max: 1024 }),
  /** COMMITTED: the recorded outcome. */
  outcome: optional(TransactionOutcome),
});
export type SubmitVerdict = ReturnType<typeof SubmitVerdict.decode>;

export const SubmitAck = record('NodeSubmitAck', 0x0162, { verdicts: list(SubmitVerdict, { max: MAX_BATCH_TRANSACTIONS }) });
export type SubmitAck = ReturnType<typeof SubmitAck.decode>;

/** An admitted transaction that will never be recorded (execution left it out, or the pool dropped it). */
export const TransactionDropped = struct({ transactionHash: hashDigest, code: CODE, message: text({ max: 1024 }) });
export type TransactionDropped = ReturnType<typeof TransactionDropped.decode>;

export const ResultNotice = record('NodeResultNotice', 0x0163, {
  ledgerHash: hashDigest,
  outcomes: list(TransactionOutcome, { max: 65536 }),
  dropped: list(TransactionDropped, { max: 65536 }),
});
export type ResultNotice = ReturnType<typeof ResultNotice.decode>;

export const QueryRequest = record('NodeQueryRequest', 0x0164, {
  method: enumeration<'GET' | 'POST'>('QueryMethod', { GET: 1, POST: 2 }),
  /** The request path, percent-encoded as received, e.g. `/ledgers/5Sm…/blocks/latest`. */
  path: text({ min: 1, max: 4096 }),
  /** The query string without `?`, percent-encoded as received. */
  query: text({ max: 8192 }),
  /** A POST body, as JSON text. */
  body: optional(text({ max: 1024 * 1024, jsonText: true })),
});
export type QueryRequest = ReturnType<typeof QueryRequest.decode>;

export const QueryResponse = record('NodeQueryResponse', 0x0165, {
  status: u16,
  /** The JD Chain envelope, as JSON text. */
  body: text({ max: MAX_JSON_BYTES, jsonText: true }),
});
export type QueryResponse = ReturnType<typeof QueryResponse.decode>;

/** Decodes a protocol message, refusing anything malformed with MALFORMED_MESSAGE. */
export function decodeMessage<T>(codec: Codec<T>, body: Uint8Array, what: string): T {
  try {
    return codec.decode(body);
  } catch (error) {
    if (error instanceof CodecError || error instanceof CryptoError) throw new NodeError('MALFORMED_MESSAGE', `${what} does not decode: ${error.message}`);
    throw error;
  }
}

/** ASCII domain tag in front of the signed batch; like the other tags, its first bytes (4a 41) are no hash code. */
export const SUBMIT_DOMAIN_TEXT = 'JADECHAIN/SUBMIT-BATCH\0';
const SUBMIT_DOMAIN = new TextEncoder().encode(SUBMIT_DOMAIN_TEXT);

/** The bytes a gateway signs once per batch: the domain tag ‖ encode(SubmitContent). */
export function submitMessage(content: SubmitContent): Uint8Array {
  const encoded = SubmitContent.encode(content);
  const message = new Uint8Array(SUBMIT_DOMAIN.length + encoded.length);
  message.set(SUBMIT_DOMAIN);
  message.set(encoded, SUBMIT_DOMAIN.length);
  return message;
}

/** The gateway's side: one signature over the whole batch. */
export function signSubmitBatch(content: SubmitContent, privateKey: PrivKey): SubmitBatch {
  const signature = cryptoSuite.sign(privateKey, submitMessage(content));
  return { content, gatewaySignature: { pubKey: cryptoSuite.publicKeyOf(privateKey), signature } };
}

/**
 * The peer's side: the batch must be signed by the identity the connection authenticated
 * (a gateway cannot sign for another), and the signature must verify (BAD_BATCH_SIGNATURE).
 */
export function verifySubmitBatch(batch: SubmitBatch, connectionIdentity: PubKey): void {
  if (!batch.gatewaySignature.pubKey.equals(connectionIdentity)) {
    throw new NodeError('BAD_BATCH_SIGNATURE', 'the batch is signed by another key than the connection\'s identity');
  }
  let valid: boolean;
  try {
    valid = cryptoSuite.verify(connectionIdentity, submitMessage(batch.content), batch.gatewaySignature.signature);
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    valid = false;
  }
  if (!valid) throw new NodeError('BAD_BATCH_SIGNATURE', 'the batch co-signature does not verify');
}
