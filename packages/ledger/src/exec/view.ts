import type { CryptoSuite, HashAlgorithm, HashDigest } from '@jadechain/crypto';
import type { BlockHeader, LedgerSettings, MerkleHashFunction } from '@jadechain/types';
import type { KVReader } from '@jadechain/storage';
import type { ContractExecutor } from '../contracts/port.js';
import { StateAccess } from '../state/access.js';
import type { StateRoots } from '../state/finalize.js';
import type { ViewSource } from '../state/layer.js';
import { LedgerState } from '../state/records.js';
import type { TreeKeys } from '../state/tree-keys.js';
import type { NodeCache } from '../state/node-cache.js';
import type { Totals } from './block-record.js';
import type { SignatureCache, SignatureVerifier } from './signature-cache.js';

/** What every view of one ledger shares: crypto, the state hash, the signature cache, the store. */
export interface LedgerContext {
  readonly suite: CryptoSuite;
  /** The algorithm of the state trees, fixed at genesis. */
  readonly stateHashAlgorithm: HashAlgorithm;
  readonly stateHash: MerkleHashFunction;
  readonly treeKeys: TreeKeys;
  readonly signatureCache: SignatureCache;
  readonly verifier: SignatureVerifier;
  readonly store: KVReader;
  readonly nodeCache: NodeCache;
  /** Runs contracts; every node of a ledger must have one, or none (ADR 0011). */
  readonly contractExecutor: ContractExecutor | undefined;
}

/**
 * The ledger as of one block, committed or not: its header (with every root), its totals and a
 * source that reads the state as of that block. Views are immutable; execution makes new ones.
 */
export class LedgerView {
  private cachedSettings: LedgerSettings | undefined;

  constructor(
    readonly context: LedgerContext,
    readonly ledgerHash: HashDigest,
    readonly header: BlockHeader,
    readonly blockHash: HashDigest,
    readonly source: ViewSource,
    readonly totals: Totals,
    /** Transactions recorded in this block. */
    readonly transactionCount: number,
  ) {}

  get height(): number {
    return Number(this.header.height);
  }

  /** False while the block awaits its commit; true once it is durable in the store. */
  get committed(): boolean {
    return this.source.committed;
  }

  /** Read-only typed access to the state as of this block. */
  state(): LedgerState {
    return new LedgerState(new StateAccess(this.height, this.context.treeKeys, [], this.source, this.totals));
  }

  /** The settings in force after this block (they govern the next block). */
  settings(): LedgerSettings {
    this.cachedSettings ??= this.state().settings();
    return this.cachedSettings;
  }

  roots(): StateRoots {
    return {
      admin: this.header.adminRoot.raw,
      users: this.header.userRoot.raw,
      dataAccounts: this.header.dataAccountRoot.raw,
      contracts: this.header.contractRoot.raw,
      eventAccounts: this.header.eventRoot.raw,
    };
  }
}
