import { CryptoError } from '@jadechain/crypto';
import type { CryptoSuite, HashDigest } from '@jadechain/crypto';
import { CodecError, TransactionRequest, decodeTransactionRequest, signedBytesOf, transactionHash, transactionHashOfContentBytes } from '@jadechain/types';
import type { DigitalSignature, LedgerSettings, Operation, TransactionState, TypedValue } from '@jadechain/types';
import type { SignatureCache, SignatureTask, SignatureVerifier } from './signature-cache.js';

/** Why a transaction may not enter a block (stable codes; `state` is the closest TransactionState). */
export type CheckCode =
  | 'MALFORMED'
  | 'TOO_LARGE'
  | 'TOO_MANY_OPERATIONS'
  | 'VALUE_TOO_LARGE'
  | 'WRONG_LEDGER'
  | 'UNSUPPORTED_ALGORITHM'
  | 'NO_ENDPOINT_SIGNATURE'
  | 'INVALID_ENDPOINT_SIGNATURE'
  | 'INVALID_NODE_SIGNATURE';

const STATE_OF: Readonly<Record<CheckCode, TransactionState>> = {
  MALFORMED: 'LEDGER_ERROR',
  TOO_LARGE: 'LEDGER_ERROR',
  TOO_MANY_OPERATIONS: 'LEDGER_ERROR',
  VALUE_TOO_LARGE: 'LEDGER_ERROR',
  WRONG_LEDGER: 'IGNORED_BY_WRONG_LEDGER',
  UNSUPPORTED_ALGORITHM: 'IGNORED_BY_ILLEGAL_CONTENT_SIGNATURE',
  NO_ENDPOINT_SIGNATURE: 'NO_ENDPOINT_SIGNATURE',
  INVALID_ENDPOINT_SIGNATURE: 'INVALID_ENDPOINT_SIGNATURE',
  INVALID_NODE_SIGNATURE: 'ILLEGAL_NODE_SIGNATURE',
};

/** A transaction that passed the stateless check. */
export interface AcceptedTransaction {
  readonly ok: true;
  readonly request: TransactionRequest;
  readonly transactionHash: HashDigest;
  /** The request's canonical encoding (its length is the size the limits count). */
  readonly bytes: Uint8Array;
}

/**
 * A request with its canonical bytes and its hash under the ledger's algorithm, made by
 * `decodeTransaction` so that admission decodes and hashes a transaction once: the signature
 * tasks and the check take it without doing either again.
 */
export interface DecodedTransaction {
  readonly request: TransactionRequest;
  readonly transactionHash: HashDigest;
  readonly bytes: Uint8Array;
}

/** Decodings this module made itself; a look-alike object is checked from its request. */
const decodedHere = new WeakSet<DecodedTransaction>();

/** Decodes (canonical bytes only) or encodes, and hashes; throws CodecError or CryptoError for bad input. */
export function decodeTransaction(settings: LedgerSettings, input: TransactionRequest | Uint8Array, suite: CryptoSuite): DecodedTransaction {
  const algorithm = settings.crypto.hashAlgorithm;
  let decoded: DecodedTransaction;
  if (input instanceof Uint8Array) {
    const { request, contentBytes } = decodeTransactionRequest(input);
    decoded = { request, transactionHash: transactionHashOfContentBytes(suite, algorithm, contentBytes), bytes: input };
  } else {
    decoded = { request: input, transactionHash: transactionHash(suite, algorithm, input.content), bytes: TransactionRequest.encode(input) };
  }
  decodedHere.add(decoded);
  return decoded;
}

export type TransactionCheck =
  | AcceptedTransaction
  | { readonly ok: false; readonly code: CheckCode; readonly state: TransactionState; readonly message: string };

/**
 * Acceptances this module made itself. Passing one back (as the mempool does when it hands its
 * transactions to execution) skips decoding, hashing and signature checks, which cannot change;
 * the checks that depend on the settings are made again. A look-alike object gets a full check.
 */
const accepted = new WeakSet<AcceptedTransaction>();

export interface CheckOptions {
  readonly ledgerHash: HashDigest;
  readonly suite: CryptoSuite;
  readonly signatureCache?: SignatureCache;
  /** Defaults to the suite's own verify. */
  readonly verifier?: SignatureVerifier;
}

class CheckFailure extends Error {
  constructor(
    readonly code: CheckCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The stateless check that decides whether a transaction may enter a block at all: canonical
 * encoding, the settings' size limits, the ledger hash, and every endpoint and node signature
 * (through the cache). It reads no state, so the mempool, the gateway and execution agree on it.
 */
export function checkTransaction(
  settings: LedgerSettings,
  request: TransactionRequest | Uint8Array | AcceptedTransaction | DecodedTransaction,
  options: CheckOptions,
): TransactionCheck {
  try {
    return checkOrThrow(settings, request, options);
  } catch (error) {
    if (error instanceof CheckFailure) return failure(error.code, error.message);
    if (error instanceof CodecError || error instanceof CryptoError) return failure('MALFORMED', error.message);
    throw error;
  }
}

function failure(code: CheckCode, message: string): TransactionCheck {
  return { ok: false, code, state: STATE_OF[code], message };
}

function checkOrThrow(settings: LedgerSettings, input: TransactionRequest | Uint8Array | AcceptedTransaction | DecodedTransaction, options: CheckOptions): TransactionCheck {
  if ('ok' in input) {
    if (accepted.has(input) && input.transactionHash.algorithm === settings.crypto.hashAlgorithm) {
      checkSettingsRules(settings, input.request, input.bytes.length, options);
      return input;
    }
    return checkOrThrow(settings, input.request, options);
  }
  if ('request' in input) {
    if (decodedHere.has(input) && input.transactionHash.algorithm === settings.crypto.hashAlgorithm) return checkDecoded(settings, input, options);
    return checkOrThrow(settings, input.request, options);
  }
  const { limits } = settings;
  if (input instanceof Uint8Array && input.length > limits.maxTransactionBytes) {
    throw new CheckFailure('TOO_LARGE', `the transaction is ${input.length} bytes, the limit is ${limits.maxTransactionBytes}`);
  }
  return checkDecoded(settings, decodeTransaction(settings, input, options.suite), options);
}

function checkDecoded(settings: LedgerSettings, decoded: DecodedTransaction, options: CheckOptions): TransactionCheck {
  const { request, bytes, transactionHash: hash } = decoded;
  checkSettingsRules(settings, request, bytes.length, options);
  const message = signedBytesOf(hash);
  const cache = options.signatureCache;
  const verifier = options.verifier ?? options.suite;
  const verify = (signature: DigitalSignature, code: CheckCode, who: string): void => {
    const task = { message, publicKey: signature.pubKey, signature: signature.signature };
    const valid = cache === undefined ? verifier.verify(task.publicKey, task.message, task.signature) : cache.check(task, verifier);
    if (!valid) throw new CheckFailure(code, `an ${who} signature does not verify`);
  };
  for (const signature of request.endpointSignatures) verify(signature, 'INVALID_ENDPOINT_SIGNATURE', 'endpoint');
  for (const signature of request.nodeSignatures) verify(signature, 'INVALID_NODE_SIGNATURE', 'node');
  const result: AcceptedTransaction = { ok: true, request, transactionHash: hash, bytes };
  accepted.add(result);
  return result;
}

/** The checks that depend on the settings, which may change between admission and execution. */
function checkSettingsRules(settings: LedgerSettings, request: TransactionRequest, size: number, options: CheckOptions): void {
  const { limits } = settings;
  if (size > limits.maxTransactionBytes) {
    throw new CheckFailure('TOO_LARGE', `the transaction is ${size} bytes, the limit is ${limits.maxTransactionBytes}`);
  }
  const { content } = request;
  if (content.operations.length > limits.maxOperationsPerTransaction) {
    throw new CheckFailure('TOO_MANY_OPERATIONS', `${content.operations.length} operations, the limit is ${limits.maxOperationsPerTransaction}`);
  }
  for (const operation of content.operations) checkValueSizes(operation, limits.maxValueBytes);
  if (!content.ledgerHash.equals(options.ledgerHash)) {
    throw new CheckFailure('WRONG_LEDGER', `the transaction is for ledger ${content.ledgerHash.toBase58()}`);
  }
  if (request.endpointSignatures.length === 0) throw new CheckFailure('NO_ENDPOINT_SIGNATURE', 'the transaction has no endpoint signature');
  const allowed = settings.crypto.signatureAlgorithms;
  for (const { pubKey } of [...request.endpointSignatures, ...request.nodeSignatures]) {
    if (!allowed.includes(pubKey.algorithm)) throw new CheckFailure('UNSUPPORTED_ALGORITHM', `the ledger does not accept ${pubKey.algorithm} signatures`);
  }
}

/** Values (KV values, event contents, contract arguments) must fit the settings' value limit. */
function checkValueSizes(operation: Operation, maxValueBytes: number): void {
  const values: TypedValue[] =
    operation.type === 'KvSet'
      ? operation.writes.map((write) => write.value)
      : operation.type === 'EventPublish'
        ? operation.events.map((event) => event.content)
        : operation.type === 'ContractInvoke'
          ? [...operation.args]
          : [];
  for (const value of values) {
    const size = payloadSize(value);
    if (size > maxValueBytes) throw new CheckFailure('VALUE_TOO_LARGE', `a value of ${size} bytes exceeds the limit of ${maxValueBytes}`);
  }
}

/** Payload bytes of a typed value (the fixed-size types are always small). */
function payloadSize(value: TypedValue): number {
  if (value.type === 'TEXT' || value.type === 'JSON') return Buffer.byteLength(value.value, 'utf8');
  if (value.type === 'BYTES') return value.value.length;
  return 0;
}

/**
 * The signatures of a request that the cache does not know yet: what a peer hands to its worker
 * threads to verify, before recording the good ones with `SignatureCache.remember` so that the
 * check itself (and execution) only hits the cache.
 */
export function uncachedSignatures(settings: LedgerSettings, transaction: TransactionRequest | DecodedTransaction, suite: CryptoSuite, cache: SignatureCache): SignatureTask[] {
  const known = 'request' in transaction && decodedHere.has(transaction) && transaction.transactionHash.algorithm === settings.crypto.hashAlgorithm;
  const request = 'request' in transaction ? transaction.request : transaction;
  const message = signedBytesOf(known ? transaction.transactionHash : transactionHash(suite, settings.crypto.hashAlgorithm, request.content));
  return [...request.endpointSignatures, ...request.nodeSignatures]
    .map((signature) => ({ message, publicKey: signature.pubKey, signature: signature.signature }))
    .filter((task) => !cache.has(task));
}
