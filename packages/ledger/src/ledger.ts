import { HashDigest } from '@jadechain/crypto';
import type { CryptoSuite } from '@jadechain/crypto';
import { CommitCertificate } from '@jadechain/types';
import type { TransactionRequest } from '@jadechain/types';
import type { KVStore } from '@jadechain/storage';
import type { ContractExecutor } from './contracts/port.js';
import { LedgerError } from './errors.js';
import { decodeBlockRecord, encodeBlockRecord } from './exec/block-record.js';
import type { BlockRecord } from './exec/block-record.js';
import { blockAt, blockHeightOf, certificateAt, transactionByHash } from './query/blocks.js';
import type { LedgerTransaction } from './query/blocks.js';
import { execute } from './exec/execute.js';
import type { Batch, ExecutionResult } from './exec/execute.js';
import { SignatureCache } from './exec/signature-cache.js';
import type { SignatureVerifier } from './exec/signature-cache.js';
import { checkTransaction } from './exec/validate.js';
import type { AcceptedTransaction, TransactionCheck } from './exec/validate.js';
import { LedgerView } from './exec/view.js';
import type { LedgerContext } from './exec/view.js';
import { WriteSet } from './exec/write-set.js';
import type { GenesisBlock } from './genesis/build.js';
import { combineInitState } from './genesis/proposal.js';
import { decodeGenesisRecord, encodeGenesisRecord } from './genesis/record.js';
import { readU64be } from './state/bytes.js';
import { EMPTY_SOURCE } from './state/empty.js';
import { rawHashFunction } from './state/hashing.js';
import { GENESIS_KEY, LAYOUT_KEY, LAYOUT_VERSION, LEDGER_HASH_KEY, TIP_KEY, blockKey, certificateKey } from './state/layout.js';
import { ViewSource } from './state/layer.js';
import { TreeKeys } from './state/tree-keys.js';
import { NodeCache } from './state/node-cache.js';

export interface LedgerOptions {
  readonly suite: CryptoSuite;
  /** Shared with the mempool so that signatures checked there are not checked again. */
  readonly signatureCache?: SignatureCache;
  /** Defaults to the suite's verify in this thread. */
  readonly verifier?: SignatureVerifier;
  /**
   * Runs ContractInvoke (and checks code at deploy). Without one, invocations are recorded as
   * CONTRACT_EXECUTION_UNAVAILABLE: a node that shares a ledger with executing nodes needs one.
   */
  readonly contractExecutor?: ContractExecutor;
}

/**
 * One ledger over one store: the committed tip, execution on top of it (or of pending blocks)
 * and commit. Everything a block adds lands in one storage batch; a ledger reopened from its
 * store resumes at its last committed block.
 */
export class Ledger {
  private tipView: LedgerView;
  private commits: Promise<void> = Promise.resolve();

  private constructor(
    readonly store: KVStore,
    readonly context: LedgerContext,
    readonly ledgerHash: HashDigest,
    tip: LedgerView,
  ) {
    this.tipView = tip;
  }

  /** Writes the genesis block (after checking it again from its proposal and signatures) into an empty store. */
  static async initialize(store: KVStore, genesis: GenesisBlock, options: LedgerOptions): Promise<Ledger> {
    if (store.get(TIP_KEY) !== undefined) throw new LedgerError('ALREADY_INITIALIZED', 'the store already holds a ledger');
    const rebuilt = combineInitState(options.suite, genesis.proposal, genesis.signatures);
    const { block } = rebuilt;
    if (!block.ledgerHash.equals(genesis.ledgerHash)) {
      throw new LedgerError('INVALID_GENESIS', `the genesis block rebuilds to ${block.ledgerHash.toBase58()}, not ${genesis.ledgerHash.toBase58()}`);
    }
    const context = contextFor(store, options, block.proposal.settings.crypto.hashAlgorithm);
    const view = new LedgerView(
      context,
      block.ledgerHash,
      block.header,
      block.ledgerHash,
      new ViewSource(store, context.nodeCache, 0, { layer: rebuilt.layer, parent: EMPTY_SOURCE }),
      rebuilt.totals,
      0,
    );
    const blockRecord = encodeBlockRecord({ header: block.header, blockHash: block.ledgerHash, transactionCount: 0, totals: rebuilt.totals });
    const writeSet = new WriteSet(view, rebuilt.layer, [], blockRecord, [
      [LEDGER_HASH_KEY, block.ledgerHash.toBytes()],
      [LAYOUT_KEY, Uint8Array.of(LAYOUT_VERSION)],
      [GENESIS_KEY, encodeGenesisRecord(block.proposal, block.signatures)],
    ]);
    const batch = store.newBatch();
    writeSet.writeTo(batch);
    await store.commit(batch);
    view.source.markCommitted();
    return new Ledger(store, context, block.ledgerHash, view);
  }

  /** Opens the ledger in a store at its last committed block. */
  static open(store: KVStore, options: LedgerOptions): Ledger {
    const tip = store.get(TIP_KEY);
    const hash = store.get(LEDGER_HASH_KEY);
    const genesis = store.get(GENESIS_KEY);
    if (tip === undefined || hash === undefined || genesis === undefined) throw new LedgerError('NOT_INITIALIZED', 'the store holds no ledger');
    const layout = store.get(LAYOUT_KEY)?.[0] ?? 1;
    if (layout !== LAYOUT_VERSION) {
      throw new LedgerError('UNSUPPORTED_LAYOUT', `the store was written in storage layout ${layout}; this version reads layout ${LAYOUT_VERSION} only (create the ledger again, or restore it from a backup made by this version)`);
    }
    const { proposal } = decodeGenesisRecord(genesis);
    const context = contextFor(store, options, proposal.settings.crypto.hashAlgorithm);
    const ledgerHash = HashDigest.fromBytes(hash);
    return new Ledger(store, context, ledgerHash, committedView(context, ledgerHash, readU64be(tip)));
  }

  /** The last committed block. */
  get tip(): LedgerView {
    return this.tipView;
  }

  /** The committed ledger as of `height` (historical reads and proofs). */
  view(height: number): LedgerView {
    if (!Number.isSafeInteger(height) || height < 0 || height > this.tipView.height) {
      throw new LedgerError('NOT_FOUND', `no committed block at height ${height} (tip ${this.tipView.height})`);
    }
    return height === this.tipView.height ? this.tipView : committedView(this.context, this.ledgerHash, height);
  }

  /** JD Chain's LedgerInfo: the ledger hash and the committed tip. */
  info(): { readonly ledgerHash: HashDigest; readonly height: number; readonly blockHash: HashDigest } {
    return { ledgerHash: this.ledgerHash, height: this.tipView.height, blockHash: this.tipView.blockHash };
  }

  block(height: number): BlockRecord | undefined {
    return height > this.tipView.height ? undefined : blockAt(this.store, height);
  }

  blockByHash(blockHash: HashDigest): BlockRecord | undefined {
    const height = blockHeightOf(this.store, blockHash);
    return height === undefined ? undefined : this.block(height);
  }

  certificate(height: number): CommitCertificate | undefined {
    return height > this.tipView.height ? undefined : certificateAt(this.store, height);
  }

  /** A committed transaction with its result, block height and position. */
  transaction(transactionHash: HashDigest): LedgerTransaction | undefined {
    return transactionByHash(this.tipView, transactionHash);
  }

  /** The stateless check against the tip's settings (what a mempool or gateway runs). */
  checkTransaction(request: TransactionRequest | Uint8Array | AcceptedTransaction): TransactionCheck {
    return checkTransaction(this.tipView.settings(), request, {
      ledgerHash: this.ledgerHash,
      suite: this.context.suite,
      signatureCache: this.context.signatureCache,
      verifier: this.context.verifier,
    });
  }

  /** Executes a batch on the tip, or on `parent` (a pending block of this ledger). Writes nothing. */
  execute(batch: Batch, parent: LedgerView = this.tipView): ExecutionResult {
    if (parent.context !== this.context) throw new LedgerError('NOT_ON_TIP', 'the parent view belongs to another ledger');
    return execute(parent, batch);
  }

  /**
   * Makes an executed block durable with its commit certificate, in one storage batch; resolves
   * once the store has flushed it. Commits queue up, so block h+1 may be passed before h resolves.
   */
  commit(writeSet: WriteSet, certificate: CommitCertificate): Promise<void> {
    const done = this.commits.then(() => this.commitNow(writeSet, certificate));
    this.commits = done.catch(() => undefined);
    return done;
  }

  private async commitNow(writeSet: WriteSet, certificate: CommitCertificate): Promise<void> {
    const { view } = writeSet;
    const tip = this.tipView;
    if (view.context !== this.context || view.height !== tip.height + 1 || !(view.header.previousHash?.equals(tip.blockHash) ?? false)) {
      throw new LedgerError('NOT_ON_TIP', `block ${view.height} does not extend the committed tip ${tip.height}`);
    }
    if (certificate.height !== BigInt(view.height) || !certificate.blockHash.equals(view.blockHash)) {
      throw new LedgerError('CERTIFICATE_MISMATCH', `the certificate is for block ${certificate.height} ${certificate.blockHash.toBase58()}`);
    }
    const batch = this.store.newBatch();
    writeSet.writeTo(batch);
    batch.put(certificateKey(view.height), CommitCertificate.encode(certificate));
    await this.store.commit(batch);
    view.source.markCommitted();
    this.tipView = view;
  }
}

function contextFor(store: KVStore, options: LedgerOptions, stateHashAlgorithm: LedgerContext['stateHashAlgorithm']): LedgerContext {
  const stateHash = rawHashFunction(options.suite, stateHashAlgorithm);
  return {
    suite: options.suite,
    stateHashAlgorithm,
    stateHash,
    treeKeys: new TreeKeys(stateHash),
    signatureCache: options.signatureCache ?? new SignatureCache(),
    nodeCache: new NodeCache(),
    verifier: options.verifier ?? options.suite,
    store,
    contractExecutor: options.contractExecutor,
  };
}

function committedView(context: LedgerContext, ledgerHash: HashDigest, height: number): LedgerView {
  const bytes = context.store.get(blockKey(height));
  if (bytes === undefined) throw new LedgerError('CORRUPT_STATE', `block ${height} is missing from the store`);
  const record = decodeBlockRecord(bytes);
  return new LedgerView(context, ledgerHash, record.header, record.blockHash, new ViewSource(context.store, context.nodeCache, height, null), record.totals, record.transactionCount);
}
