import type { HashDigest, PubKey, SignatureDigest } from '@jadechain/crypto';
import { Listeners, digestKey } from '@jadechain/consensus';
import type { BatchLimits, CommittedSummary, PooledTransaction, TransactionSource } from '@jadechain/consensus';
import { checkTransaction, decodeTransaction, uncachedSignatures } from '@jadechain/ledger';
import type { AcceptedTransaction, DecodedTransaction, Ledger, SignatureTask, SignatureVerifier } from '@jadechain/ledger';
import { CodecError } from '@jadechain/types';
import type { TransactionRequest } from '@jadechain/types';
import type { LedgerSettings } from '@jadechain/types';
import { MempoolError } from './errors.js';
import type { Admission, RefusalCode } from './errors.js';
import type { BatchSignatureVerifier } from './signature-pool.js';

export interface MempoolOptions {
  readonly ledger: Ledger;
  /** Verifies signatures off the main thread (a SignatureWorkerPool, shared by the peer's ledgers). */
  readonly verifier: BatchSignatureVerifier;
  /** Most transactions held (default 50,000). */
  readonly maxTransactions?: number;
  /** Most bytes of canonical encodings held (default 64 MiB). */
  readonly maxBytes?: number;
  /**
   * The node's clock in ms (default `Date.now`). Only admission reads it, to refuse transactions
   * dated further ahead than the window; eviction uses the last block's consensus timestamp.
   */
  readonly clock?: () => bigint;
}

interface Entry {
  readonly hash: HashDigest;
  readonly size: number;
  readonly timestamp: bigint;
  readonly transaction: AcceptedTransaction;
}

/** Why transactions left the pool without entering a block. */
export interface Eviction {
  readonly transactionHashes: readonly HashDigest[];
  readonly code: 'TIMESTAMP_OUT_OF_WINDOW';
}

/**
 * The transactions of one ledger waiting for a block, oldest first. Entry runs the ledger's
 * stateless check with every signature verified in worker threads beforehand (the good ones go
 * into the ledger's signature cache, so neither the check nor execution verifies again); the pool
 * is bounded by count and bytes, refuses duplicates and committed transactions, and drops what
 * the timestamp window leaves behind as consensus time advances.
 */
export class Mempool implements TransactionSource<AcceptedTransaction> {
  readonly maxTransactions: number;
  readonly maxBytes: number;
  private readonly ledger: Ledger;
  private readonly verifier: BatchSignatureVerifier;
  private readonly clock: () => bigint;
  /** Insertion order is arrival order: a Map iterates in it and deletes in O(1). */
  private readonly entries = new Map<string, Entry>();
  /** Transactions being verified: they hold their room and count as duplicates. */
  private readonly checking = new Set<string>();
  private heldBytes = 0;
  private reservedBytes = 0;
  private lastBlockTimestamp: bigint;
  private closed = false;
  private readonly available = new Listeners<void>();
  private readonly evicted = new Listeners<Eviction>();

  constructor(options: MempoolOptions) {
    this.ledger = options.ledger;
    this.verifier = options.verifier;
    this.clock = options.clock ?? (() => BigInt(Date.now()));
    this.maxTransactions = positive('maxTransactions', options.maxTransactions ?? 50_000);
    this.maxBytes = positive('maxBytes', options.maxBytes ?? 64 * 1024 * 1024);
    this.lastBlockTimestamp = options.ledger.tip.header.timestamp;
  }

  /** Transactions held. */
  get size(): number {
    return this.entries.size;
  }

  /** Bytes held (canonical encodings). */
  get bytes(): number {
    return this.heldBytes;
  }

  /**
   * Checks a transaction (a request, its canonical bytes, or what the ledger's `decodeTransaction`
   * made of them) and holds it if it passes. Never throws for bad input.
   */
  async add(input: TransactionRequest | Uint8Array | DecodedTransaction): Promise<Admission> {
    if (this.closed) return refusal('CLOSED', 'the mempool is closed');
    const settings = this.ledger.tip.settings();
    const { suite, signatureCache } = this.ledger.context;
    const decoded = decode(input, settings, suite);
    if (!decoded.ok) return decoded.refusal;
    const { transaction } = decoded;
    const { request, transactionHash: hash } = transaction;
    const size = transaction.bytes.length;
    const key = digestKey(hash);
    const early = this.refusalBeforeVerifying(key, hash, request, size, settings);
    if (early !== undefined) return early;

    this.checking.add(key);
    this.reservedBytes += size;
    let verdicts: SignatureVerdicts;
    try {
      const tasks = uncachedSignatures(settings, transaction, suite, signatureCache);
      const valid = await this.verifier.verifyAll(tasks);
      verdicts = new SignatureVerdicts(tasks, valid, this.ledger.context.verifier);
      tasks.forEach((task, index) => {
        if (valid[index] === true) signatureCache.remember(task);
      });
    } finally {
      this.checking.delete(key);
      this.reservedBytes -= size;
    }
    if (this.closed) return refusal('CLOSED', 'the mempool closed while the transaction was checked', hash);
    // Settings may have changed while the signatures were verified: check against the current ones.
    const check = checkTransaction(this.ledger.tip.settings(), transaction, { ledgerHash: this.ledger.ledgerHash, suite, signatureCache, verifier: verdicts });
    if (!check.ok) return refusal(check.code, check.message, hash);
    this.entries.set(key, { hash, size, timestamp: request.content.timestamp, transaction: check });
    this.heldBytes += size;
    this.available.emit();
    return { admitted: true, transactionHash: hash };
  }

  /** Admits a batch (as a gateway forwards them); verdicts in order. Signatures of the whole batch are verified together. */
  addAll(inputs: ReadonlyArray<TransactionRequest | Uint8Array>): Promise<Admission[]> {
    return Promise.all(inputs.map((input) => this.add(input)));
  }

  has(hash: HashDigest): boolean {
    return this.entries.has(digestKey(hash));
  }

  get(hash: HashDigest): AcceptedTransaction | undefined {
    return this.entries.get(digestKey(hash))?.transaction;
  }

  select(limits: BatchLimits, exclude: (hash: HashDigest) => boolean): Array<PooledTransaction<AcceptedTransaction>> {
    const picked: Array<PooledTransaction<AcceptedTransaction>> = [];
    let bytes = 0;
    for (const entry of this.entries.values()) {
      if (picked.length >= limits.maxTransactions) break;
      if (exclude(entry.hash)) continue;
      // Strictly first come, first served: a transaction that does not fit waits for the next block rather than being overtaken.
      if (bytes + entry.size > limits.maxBytes) break;
      if (limits.fillBytes !== undefined && picked.length > 0 && bytes + entry.size > limits.fillBytes) break;
      bytes += entry.size;
      picked.push(entry);
    }
    return picked;
  }

  onAvailable(listener: () => void): () => void {
    return this.available.add(listener);
  }

  /** Transactions dropped because consensus time moved past their window. */
  onEvicted(listener: (eviction: Eviction) => void): () => void {
    return this.evicted.add(listener);
  }

  committed(block: CommittedSummary): void {
    this.remove(block.transactionHashes);
    if (block.timestamp <= this.lastBlockTimestamp) return;
    this.lastBlockTimestamp = block.timestamp;
    const oldest = block.timestamp - BigInt(this.ledger.tip.settings().timestampWindowMs);
    const stale = [...this.entries.values()].filter((entry) => entry.timestamp < oldest).map((entry) => entry.hash);
    if (stale.length === 0) return;
    this.remove(stale);
    this.evicted.emit({ transactionHashes: stale, code: 'TIMESTAMP_OUT_OF_WINDOW' });
  }

  remove(hashes: readonly HashDigest[]): void {
    for (const hash of hashes) {
      const key = digestKey(hash);
      const entry = this.entries.get(key);
      if (entry === undefined) continue;
      this.entries.delete(key);
      this.heldBytes -= entry.size;
    }
  }

  /** Refuses new transactions and drops the held ones (the signature pool belongs to the caller). */
  close(): void {
    this.closed = true;
    this.entries.clear();
    this.heldBytes = 0;
  }

  /** The refusals that need no signature check: duplicates, committed transactions, the window, room. */
  private refusalBeforeVerifying(key: string, hash: HashDigest, request: TransactionRequest, size: number, settings: LedgerSettings): Admission | undefined {
    if (this.entries.has(key) || this.checking.has(key)) return refusal('DUPLICATE', 'the transaction is already in the mempool', hash);
    if (this.ledger.transaction(hash) !== undefined) return refusal('ALREADY_COMMITTED', 'the ledger already holds this transaction', hash);
    const window = BigInt(settings.timestampWindowMs);
    const { timestamp } = request.content;
    if (timestamp < this.lastBlockTimestamp - window) {
      return refusal('TIMESTAMP_OUT_OF_WINDOW', `timestamp ${timestamp} is older than the window of the last block (${this.lastBlockTimestamp})`, hash);
    }
    const now = this.clock();
    const latest = (now > this.lastBlockTimestamp ? now : this.lastBlockTimestamp) + window;
    if (timestamp > latest) return refusal('TIMESTAMP_OUT_OF_WINDOW', `timestamp ${timestamp} is more than the window ahead of consensus time`, hash);
    if (this.entries.size + this.checking.size >= this.maxTransactions || this.heldBytes + this.reservedBytes + size > this.maxBytes) {
      return refusal('MEMPOOL_FULL', `the mempool is full (${this.entries.size} transactions, ${this.heldBytes} bytes)`, hash);
    }
    return undefined;
  }
}

/**
 * Answers the stateless check's signature questions from the workers' verdicts: a signature the
 * workers found bad stays bad without a second verification. Good ones are in the cache (the
 * check asks the cache first); anything else, as when the cache dropped an entry meanwhile, is
 * verified here.
 */
class SignatureVerdicts implements SignatureVerifier {
  private readonly invalid: readonly SignatureTask[];

  constructor(
    tasks: readonly SignatureTask[],
    valid: readonly boolean[],
    private readonly fallback: SignatureVerifier,
  ) {
    this.invalid = tasks.filter((_, index) => valid[index] !== true);
  }

  verify(publicKey: PubKey, message: Uint8Array, signature: SignatureDigest): boolean {
    const known = this.invalid.some(
      (task) => task.signature.equals(signature) && task.publicKey.equals(publicKey) && Buffer.compare(task.message, message) === 0,
    );
    return known ? false : this.fallback.verify(publicKey, message, signature);
  }
}

type Decoded = { readonly ok: true; readonly transaction: DecodedTransaction } | { readonly ok: false; readonly refusal: Admission };

function decode(input: TransactionRequest | Uint8Array | DecodedTransaction, settings: LedgerSettings, suite: Ledger['context']['suite']): Decoded {
  const limit = settings.limits.maxTransactionBytes;
  const size = input instanceof Uint8Array ? input.length : 'request' in input ? input.bytes.length : undefined;
  if (size !== undefined && size > limit) {
    return { ok: false, refusal: refusal('TOO_LARGE', `the transaction is ${size} bytes, the limit is ${limit}`) };
  }
  try {
    return { ok: true, transaction: 'request' in input && input.transactionHash.algorithm === settings.crypto.hashAlgorithm ? input : decodeTransaction(settings, 'request' in input ? input.bytes : input, suite) };
  } catch (error) {
    if (error instanceof CodecError) return { ok: false, refusal: refusal('MALFORMED', error.message) };
    throw error;
  }
}

function refusal(code: RefusalCode, message: string, transactionHash?: HashDigest): Admission {
  return transactionHash === undefined ? { admitted: false, code, message } : { admitted: false, code, message, transactionHash };
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new MempoolError('INVALID_CONFIG', `${name} must be a positive whole number, got ${value}`);
  return value;
}
