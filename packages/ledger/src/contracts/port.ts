import type { Address, HashDigest } from '@jadechain/crypto';
import type { AccountState, TypedValue } from '@jadechain/types';

/**
 * The port through which the ledger runs contracts (ADR 0011). The ledger knows nothing of the
 * sandbox: `@jadechain/contracts` implements this with QuickJS. Every answer must be a function
 * of the code, the call and the host's answers only, so that every peer records the same bytes.
 */
export interface ContractExecutor {
  /** Names the sandbox engine exactly; recorded in every contract receipt (so in the block). */
  readonly sandboxVersion: string;
  /** Deploy-time check: whether the module loads (evaluates within the limits). */
  checkCode(code: string): ContractCodeCheck;
  invoke(host: ContractHost, call: ContractCall): ContractExecution;
}

export interface ContractCall {
  readonly contract: Address;
  readonly method: string;
  readonly args: readonly TypedValue[];
}

export interface ContractFailure {
  /** The runtime's code (OUT_OF_GAS, CONTRACT_THREW, METHOD_NOT_FOUND, ...) or a ledger refusal's. */
  readonly code: string;
  readonly message: string;
  /** The contract's own stack when it threw, else empty. */
  readonly stack: string;
}

/** Like an execution: FAILED is recorded as a refused deployment, ABSTAIN builds no block. */
export type ContractCodeCheck =
  | { readonly status: 'LOADS' }
  | { readonly status: 'FAILED'; readonly error: ContractFailure }
  | { readonly status: 'ABSTAIN'; readonly reason: string };

/**
 * SUCCESS and FAILED are reproducible and recorded; ABSTAIN (the wall-clock watchdog fired) is
 * not: the ledger refuses to build the block, so the peer does not vote for it.
 */
export type ContractExecution =
  | { readonly status: 'SUCCESS'; readonly value: TypedValue; readonly derivedOperations: readonly DerivedOperation[]; readonly gasUsed: number }
  | { readonly status: 'FAILED'; readonly error: ContractFailure; readonly gasUsed: number }
  | { readonly status: 'ABSTAIN'; readonly reason: string };

/**
 * What a running contract may ask of the ledger. Reads see the state of the running transaction
 * before the invocation (the contract's own writes are the runtime's to overlay). Synchronous:
 * QuickJS runs synchronously.
 */
export interface ContractHost {
  readonly transactionHash: HashDigest;
  readonly blockHeight: bigint;
  /** Consensus timestamp of the block, ms since the epoch (never the peer's clock). */
  readonly blockTimestamp: bigint;
  /** The transaction's endpoint signers, in signature order, duplicates removed. */
  readonly signers: readonly Address[];
  /** The latest entry of a KV key, or undefined when the key (or account) does not exist. */
  getKv(account: Address, key: string): KvEntryView | undefined;
  /** Latest sequence of an event topic, −1n when nothing was published on it. */
  getEventSequence(account: Address, topic: string): bigint;
  /** Any account (user, data, event or contract), or undefined. */
  getAccount(address: Address): AccountView | undefined;
  /** The current version of a contract with its code, or undefined. */
  getContract(address: Address): DeployedContract | undefined;
  /**
   * Whether the signers (with the acting contract counted as one) may perform this operation:
   * undefined when allowed, else the refusal with its TransactionState code.
   */
  authorize(operation: DerivedOperation | NestedInvocation): ContractRefusal | undefined;
}

export interface ContractRefusal {
  readonly code: string;
  readonly message: string;
}

export interface KvEntryView {
  readonly version: bigint;
  readonly value: TypedValue;
}

export type ContractAccountKind = 'USER' | 'DATA' | 'EVENT' | 'CONTRACT';

export interface AccountView {
  readonly kind: ContractAccountKind;
  readonly address: Address;
  readonly owners: readonly Address[];
  readonly modeBits: number;
  readonly state: AccountState;
}

export interface DeployedContract {
  readonly address: Address;
  readonly version: bigint;
  readonly codeHash: HashDigest;
  /** The deployable module (UTF-8 JavaScript). */
  readonly code: string;
}

/** A KV write done by a contract; recorded as (part of) a KvSet derived operation. */
export interface DerivedKvWrite {
  readonly type: 'KvSet';
  readonly account: Address;
  readonly key: string;
  readonly value: TypedValue;
  readonly expectedVersion: bigint;
  /** The contract that wrote it. */
  readonly contract: Address;
}

/** An event published by a contract; its `contractSource`. */
export interface DerivedEventPublish {
  readonly type: 'EventPublish';
  readonly account: Address;
  readonly topic: string;
  readonly content: TypedValue;
  readonly expectedSequence: bigint;
  readonly contract: Address;
}

export type DerivedOperation = DerivedKvWrite | DerivedEventPublish;

/** A contract calling another: subject to the callee's execute (x) bit. */
export interface NestedInvocation {
  readonly type: 'ContractInvoke';
  readonly address: Address;
  readonly method: string;
  readonly caller: Address;
}
