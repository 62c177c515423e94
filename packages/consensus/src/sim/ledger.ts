import { HashDigest } from '@jadechain/crypto';
import type { CryptoSuite } from '@jadechain/crypto';
import { blockHash as hashOfHeader } from '@jadechain/types';
import type { CommitCertificate } from '@jadechain/types';
import { hashKey } from '../bft/crypto.js';
import type { BftLedgerHost, CommitRequest, ExecuteRequest } from '../bft/driver.js';
import type { ExecutionOutcome } from '../bft/io.js';
import type { TransactionFactory } from './transactions.js';

/** A block of the simulated ledger: which transactions it applied and the state it leads to. */
export interface SimBlock {
  readonly height: number;
  readonly blockHash: HashDigest;
  readonly key: string;
  readonly parentKey: string;
  readonly timestamp: bigint;
  /** Transactions that changed state, in block order (invalid ones are left out, duplicates fail). */
  readonly applied: readonly string[];
  readonly stateRoot: Uint8Array;
  /** The validators of the next height, ascending: the participants in state CONSENSUS after this block. */
  readonly validators: readonly number[];
}

export interface CommittedBlock extends SimBlock {
  readonly certificate: CommitCertificate | undefined;
}

/** What survives a crash: the committed chain (index = height; 0 is genesis). */
export class LedgerStore {
  readonly chain: CommittedBlock[];
  readonly appliedAt = new Map<string, number>();

  constructor(genesis: CommittedBlock) {
    this.chain = [genesis];
  }

  get tip(): CommittedBlock {
    return this.chain[this.chain.length - 1] as CommittedBlock;
  }

  append(block: SimBlock, certificate: CommitCertificate): void {
    if (block.height !== this.tip.height + 1 || block.parentKey !== this.tip.key) {
      throw new Error(`block ${block.height} does not extend the committed tip ${this.tip.height}`);
    }
    this.chain.push({ ...block, certificate });
    for (const transaction of block.applied) this.appliedAt.set(transaction, block.height);
  }
}

/** Latency of one ledger operation, in virtual ms (drawn by the caller's generator). */
export type Delay = () => number;

export interface LedgerEnvironment {
  readonly suite: CryptoSuite;
  readonly ledgerHash: HashDigest;
  readonly transactions: TransactionFactory;
  /** Runs `action` after `delay` virtual ms, unless the node crashed meanwhile. */
  readonly later: (delay: number, action: () => void) => void;
  readonly executeDelay: Delay;
  readonly commitDelay: Delay;
  /** Transactions that (de)activate a validator, by hash key: the simulated participant operations. */
  readonly membership: ReadonlyMap<string, MembershipChange>;
}

export interface MembershipChange {
  readonly validator: number;
  readonly active: boolean;
}

/**
 * A small deterministic ledger over transaction hashes, playing the real ledger's part: execute
 * on a committed or executed parent writing nothing, a header whose hash commits to the parent,
 * height, timestamp, transaction set and state root; commit in height order, durable at once.
 */
export class SimLedger implements BftLedgerHost {
  private readonly executed = new Map<string, SimBlock>();
  /** Commits handed to the disk and not yet durable, in order (a crash may land a prefix). */
  readonly inFlight: { block: SimBlock; certificate: CommitCertificate }[] = [];
  private diskFreeAt = 0;

  constructor(
    readonly store: LedgerStore,
    private readonly env: LedgerEnvironment,
    private readonly clock: () => number,
  ) {}

  execute(request: ExecuteRequest, done: (outcome: ExecutionOutcome) => void): void {
    const outcome = this.run(request);
    this.env.later(this.env.executeDelay(), () => done(outcome));
  }

  commit(request: CommitRequest, done: () => void): void {
    const block = this.executed.get(hashKey(request.blockHash));
    if (block === undefined) throw new Error(`commit of block ${request.height} that was never executed`);
    const entry = { block, certificate: request.certificate };
    this.inFlight.push(entry);
    this.diskFreeAt = Math.max(this.diskFreeAt, this.clock()) + this.env.commitDelay();
    this.env.later(this.diskFreeAt - this.clock(), () => {
      this.inFlight.shift();
      this.store.append(entry.block, entry.certificate);
      done();
    });
  }

  private run(request: ExecuteRequest): ExecutionOutcome {
    const parentKey = hashKey(request.parentHash);
    const parent = this.store.tip.key === parentKey ? this.store.tip : this.executed.get(parentKey);
    if (parent === undefined || (parent !== this.store.tip && parent.height <= this.store.tip.height)) return { valid: false, reason: 'unknown parent' };
    if (request.height !== parent.height + 1) return { valid: false, reason: 'height does not follow the parent' };
    if (request.timestamp < parent.timestamp) return { valid: false, reason: 'timestamp before the parent' };
    const included: HashDigest[] = [];
    const applied: string[] = [];
    const inBatch = new Set<string>();
    for (const transaction of request.transactions) {
      if (!this.env.transactions.isValid(transaction)) continue;
      included.push(transaction);
      const key = hashKey(transaction);
      if (!inBatch.has(key) && !this.appliedBefore(parent, key)) applied.push(key);
      inBatch.add(key);
    }
    const validators = validatorsAfter(parent.validators, applied, this.env.membership);
    const suite = this.env.suite;
    const stateRoot = suite.hash('SHA256', concat([parent.stateRoot, ...applied.map((key) => new TextEncoder().encode(key))])).raw;
    const transactionSetRoot = suite.hash('SHA256', concat(included.map((hash) => hash.toBytes())));
    const fixed = suite.hash('SHA256', new Uint8Array(0));
    const blockHash = hashOfHeader(suite, 'SHA256', {
      ledgerHash: this.env.ledgerHash,
      height: BigInt(request.height),
      previousHash: request.parentHash,
      timestamp: request.timestamp,
      transactionSetRoot,
      adminRoot: fixed,
      userRoot: fixed,
      dataAccountRoot: new HashDigest('SHA256', stateRoot),
      contractRoot: fixed,
      eventRoot: fixed,
      participantSetHash: suite.hash('SHA256', new TextEncoder().encode(validators.join(','))),
      protocolVersion: 1,
    });
    const block: SimBlock = { height: request.height, blockHash, key: hashKey(blockHash), parentKey, timestamp: request.timestamp, applied, stateRoot, validators };
    this.executed.set(block.key, block);
    const changesValidators = validators.join(',') !== parent.validators.join(',');
    return changesValidators ? { valid: true, blockHash, changesValidators } : { valid: true, blockHash };
  }

  /** Whether the transaction was applied in the parent or an ancestor (executed or committed). */
  private appliedBefore(parent: SimBlock, key: string): boolean {
    let block: SimBlock | undefined = parent;
    while (block !== undefined && block.height > this.store.tip.height) {
      if (block.applied.includes(key)) return true;
      block = this.executed.get(block.parentKey);
    }
    return this.store.appliedAt.has(key);
  }
}

function validatorsAfter(before: readonly number[], applied: readonly string[], membership: ReadonlyMap<string, MembershipChange>): number[] {
  const active = new Set(before);
  for (const key of applied) {
    const change = membership.get(key);
    if (change === undefined) continue;
    if (change.active) active.add(change.validator);
    else active.delete(change.validator);
  }
  return [...active].sort((a, b) => a - b);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
