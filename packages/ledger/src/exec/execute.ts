import { HashDigest } from '@jadechain/crypto';
import { TransactionResult, blockHash, participantSetHash } from '@jadechain/types';
import type { TransactionRequest } from '@jadechain/types';
import type { BlockHeader, LedgerSettings, TransactionState } from '@jadechain/types';
import { StorageError } from '@jadechain/storage';
import { LedgerError } from '../errors.js';
import { MerkleTreeError } from '../merkle/index.js';
import { OperationFailure } from '../ops/context.js';
import type { OperationContext } from '../ops/context.js';
import { executeOperation } from '../ops/dispatch.js';
import { StateAccess } from '../state/access.js';
import { bytesKey } from '../state/bytes.js';
import { finalizeState } from '../state/finalize.js';
import { DATASET } from '../state/layout.js';
import { rawHashFunction } from '../state/hashing.js';
import type { StateRoots } from '../state/finalize.js';
import { ChangeLayer, ViewSource } from '../state/layer.js';
import { LedgerState } from '../state/records.js';
import { encodeBlockRecord } from './block-record.js';
import { AddressCache, SignerCache, requireApprovingNode, resolveSigners } from './signers.js';
import { TransactionSet } from './transaction-set.js';
import type { TransactionRecord } from './transaction-set.js';
import { checkTransaction } from './validate.js';
import type { AcceptedTransaction, CheckCode } from './validate.js';
import { LedgerView } from './view.js';
import type { LedgerContext } from './view.js';
import { encodeReceipt } from '../contracts/receipt.js';
import { TransactionOutputs } from '../ops/outputs.js';
import { WriteSet } from './write-set.js';

/** An ordered batch of transactions to execute as block `height` at consensus time `timestamp` (ms). */
export interface Batch {
  readonly height: number;
  readonly timestamp: bigint;
  /**
   * Requests, their bytes, or what `checkTransaction` accepted (the mempool's way: the checks that
   * cannot have changed since are not made again).
   */
  readonly transactions: ReadonlyArray<TransactionRequest | Uint8Array | AcceptedTransaction>;
}

/** A transaction of the batch left out of the block because it failed the stateless check. */
export interface RejectedTransaction {
  /** Position in the batch. */
  readonly batchIndex: number;
  readonly code: CheckCode | 'DUPLICATE_IN_BATCH';
  readonly state: TransactionState;
  readonly message: string;
}

export interface ExecutionResult {
  readonly header: BlockHeader;
  readonly blockHash: HashDigest;
  /** One per transaction of the block, in block order. */
  readonly results: readonly TransactionResult[];
  readonly transactions: readonly TransactionRequest[];
  readonly rejected: readonly RejectedTransaction[];
  readonly writeSet: WriteSet;
  /** The state after this block, pending until the write set commits; execute the next batch on it. */
  readonly view: LedgerView;
}

const addresses = new AddressCache();

/**
 * Executes a batch on top of a parent view (committed or not) and returns the block it makes,
 * writing nothing. Deterministic: the same parent and batch give the same header on every node.
 * A transaction that fails the stateless check is left out (listed in `rejected`); one that
 * fails a stateful check is recorded with its code and changes no state. Only a batch that breaks
 * the rules of batches themselves (height, timestamp, block limits) raises an ExecutionError.
 */
export function execute(parent: LedgerView, batch: Batch): ExecutionResult {
  const settings = parent.settings();
  checkBatch(parent, batch, settings);
  const { context } = parent;
  const height = batch.height;
  const blockLayer = new ChangeLayer();
  const rejected: RejectedTransaction[] = [];
  const records: TransactionRecord[] = [];
  const results: TransactionResult[] = [];
  const requests: TransactionRequest[] = [];
  const seen = new Set<string>();
  let blockBytes = 0;
  const block: BlockRun = { parent, layer: blockLayer, settings, height, timestamp: batch.timestamp, signers: new SignerCache() };

  batch.transactions.forEach((input, batchIndex) => {
    const check = checkTransaction(settings, input, {
      ledgerHash: parent.ledgerHash,
      suite: context.suite,
      signatureCache: context.signatureCache,
      verifier: context.verifier,
    });
    if (!check.ok) {
      rejected.push({ batchIndex, code: check.code, state: check.state, message: check.message });
      return;
    }
    const hashBytes = check.transactionHash.bytesView();
    const hashKey = bytesKey(hashBytes);
    if (seen.has(hashKey)) {
      rejected.push({ batchIndex, code: 'DUPLICATE_IN_BATCH', state: 'DUPLICATE_TRANSACTION', message: 'the batch holds this transaction twice' });
      return;
    }
    seen.add(hashKey);
    blockBytes += check.bytes.length;
    if (blockBytes > settings.limits.maxBlockBytes) {
      throw new LedgerError('BATCH_TOO_LARGE', `the batch exceeds the block limit of ${settings.limits.maxBlockBytes} bytes`);
    }
    const index = records.length;
    const run = new TransactionRun(block, new ChangeLayer());
    const outputs = new TransactionOutputs();
    const state = run.execute(check.request, check.transactionHash, outputs);
    const succeeded = state === 'SUCCESS';
    const result: TransactionResult = {
      transactionHash: check.transactionHash,
      blockHeight: BigInt(height),
      state,
      operationResults: succeeded ? outputs.operationResults : [],
      derivedOperations: succeeded ? outputs.derivedOperations : [],
    };
    if (state !== 'DUPLICATE_TRANSACTION') blockLayer.locations.set(hashBytes, { height, index });
    const receipt = receiptOf(context, outputs);
    records.push({
      index,
      transactionHash: check.transactionHash.raw,
      requestBytes: check.bytes,
      resultBytes: TransactionResult.encode(result),
      ...(receipt === undefined ? {} : { receiptBytes: receipt }),
    });
    results.push(result);
    requests.push(check.request);
  });

  const roots = finalizeState(context.stateHash, height, blockLayer, parent.source, parent.roots());
  const totals = new Map(parent.totals);
  for (const [name, value] of blockLayer.counters) totals.set(name, value);
  totals.set('transactions', (parent.totals.get('transactions') ?? 0) + records.length);
  const after = new StateAccess(height, context.treeKeys, [blockLayer], parent.source, totals);
  const algorithm = settings.crypto.hashAlgorithm;
  const transactionSet = new TransactionSet(rawHashFunction(context.suite, algorithm), records);
  const header = buildHeader(parent, height, batch.timestamp, settings, roots, new HashDigest(algorithm, transactionSet.root), new LedgerState(after));
  const hash = blockHash(context.suite, algorithm, header);
  const view = new LedgerView(
    context,
    parent.ledgerHash,
    header,
    hash,
    new ViewSource(context.store, context.nodeCache, height, { layer: blockLayer, parent: parent.source }),
    totals,
    records.length,
  );
  const writeSet = new WriteSet(view, blockLayer, records, encodeBlockRecord({ header, blockHash: hash, transactionCount: records.length, totals }));
  return { header, blockHash: hash, results, transactions: requests, rejected, writeSet, view };
}

function checkBatch(parent: LedgerView, batch: Batch, settings: LedgerSettings): void {
  if (!Number.isSafeInteger(batch.height) || batch.height !== parent.height + 1) {
    throw new LedgerError('HEIGHT_MISMATCH', `batch height ${batch.height} does not follow parent height ${parent.height}`);
  }
  if (batch.timestamp < parent.header.timestamp) {
    throw new LedgerError('TIMESTAMP_REGRESSION', `batch timestamp ${batch.timestamp} is before the parent's ${parent.header.timestamp}`);
  }
  if (batch.transactions.length > settings.limits.maxTransactionsPerBlock) {
    throw new LedgerError('BATCH_TOO_LARGE', `${batch.transactions.length} transactions exceed the block limit of ${settings.limits.maxTransactionsPerBlock}`);
  }
}

/** The header of a block: roots of the state after it, hashes under the algorithm in force for it. */
export function buildHeader(
  parent: LedgerView,
  height: number,
  timestamp: bigint,
  settings: LedgerSettings,
  roots: StateRoots,
  transactionSetRoot: HashDigest,
  after: LedgerState,
): BlockHeader {
  const stateAlgorithm = parent.context.stateHashAlgorithm;
  const tagged = (root: Uint8Array): HashDigest => new HashDigest(stateAlgorithm, root);
  const active = after.participants().filter((participant) => participant.state === 'CONSENSUS');
  return {
    ledgerHash: parent.ledgerHash,
    height: BigInt(height),
    previousHash: parent.blockHash,
    timestamp,
    transactionSetRoot,
    adminRoot: tagged(roots.admin),
    userRoot: tagged(roots.users),
    dataAccountRoot: tagged(roots.dataAccounts),
    contractRoot: tagged(roots.contracts),
    eventRoot: tagged(roots.eventAccounts),
    participantSetHash: participantSetHash(parent.context.suite, settings.crypto.hashAlgorithm, { participants: active }),
    protocolVersion: settings.protocolVersion,
  };
}

/** What every transaction of the block being executed shares. */
interface BlockRun {
  readonly parent: LedgerView;
  readonly layer: ChangeLayer;
  /** As of the parent: changes made by this block apply from the next one. */
  readonly settings: LedgerSettings;
  readonly height: number;
  readonly timestamp: bigint;
  readonly signers: SignerCache;
}

/** One transaction run in its own layer: merged into the block if it succeeds, dropped if not. */
class TransactionRun {
  constructor(
    private readonly block: BlockRun,
    private readonly layer: ChangeLayer,
  ) {}

  execute(request: TransactionRequest, hash: HashDigest, outputs: TransactionOutputs): TransactionState {
    const { block } = this;
    const { context } = block.parent;
    const access = new StateAccess(block.height, context.treeKeys, [this.layer, block.layer], block.parent.source, block.parent.totals);
    const state = new LedgerState(access);
    try {
      if (access.transactionLocation(hash.bytesView()) !== undefined) return 'DUPLICATE_TRANSACTION';
      const drift = request.content.timestamp - block.timestamp;
      const window = BigInt(block.settings.timestampWindowMs);
      if (drift > window || -drift > window) return 'TIMESTAMP_OUT_OF_WINDOW';
      const endpointSigners = resolveSigners(state, request.endpointSignatures, addresses, block.signers, 'endpoint');
      requireApprovingNode(resolveSigners(state, request.nodeSignatures, addresses, block.signers, 'node'));
      const operationContext: OperationContext = {
        state,
        settings: block.settings,
        endpointSigners,
        transactionHash: hash,
        height: block.height,
        blockTimestamp: block.timestamp,
        suite: context.suite,
        executor: context.contractExecutor,
        operationIndex: 0,
        outputs,
        addressOf: (pubKey) => addresses.addressOf(pubKey),
      };
      request.content.operations.forEach((operation, operationIndex) => executeOperation(operation, { ...operationContext, operationIndex }));
    } catch (error) {
      if (error instanceof OperationFailure) return error.state;
      // Lost or corrupt storage is no transaction's fault, and recording it would make this
      // node's block differ from the others': the block cannot be built here.
      if (error instanceof LedgerError || error instanceof StorageError || error instanceof MerkleTreeError) throw error;
      return 'SYSTEM_ERROR';
    }
    if (this.layer.entries.values().some((change) => SECURITY_DATASETS.has(change.slot.dataset))) block.signers.clear();
    this.layer.mergeInto(block.layer);
    return 'SUCCESS';
  }
}

/** The contract receipt of a transaction that invoked a contract, encoded; else undefined. */
function receiptOf(context: LedgerContext, outputs: TransactionOutputs): Uint8Array | undefined {
  const { contractExecutor } = context;
  if (contractExecutor === undefined || outputs.invocations.length === 0) return undefined;
  return encodeReceipt({ sandboxVersion: contractExecutor.sandboxVersion, invocations: outputs.invocations });
}

/** Datasets whose changes can change who may sign what. */
const SECURITY_DATASETS: ReadonlySet<number> = new Set([DATASET.admin, DATASET.users]);
