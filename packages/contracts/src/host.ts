import type { Address, HashDigest } from '@jadechain/crypto';
import type { AccountState, TypedValue } from '@jadechain/types';
import type { HostRefusal } from './errors.js';

/**
 * What the runtime needs from a ledger while a contract runs. Reads see the state of the
 * running transaction before the invocation; the invocation's own writes are kept by the runtime
 * and handed back as derived operations, which the ledger applies (and records) only when the
 * invocation succeeds. All calls are synchronous: QuickJS runs synchronously.
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
   * Whether the transaction's signers may perform this operation (permissions, mode bits,
   * account existence and state): undefined when allowed, else the refusal with its ledger code.
   */
  authorize(operation: DerivedOperation | NestedInvocation): HostRefusal | undefined;
}

export interface KvEntryView {
  readonly version: bigint;
  readonly value: TypedValue;
}

export type AccountKind = 'USER' | 'DATA' | 'EVENT' | 'CONTRACT';

export interface AccountView {
  readonly kind: AccountKind;
  readonly address: Address;
  readonly owners: readonly Address[];
  readonly modeBits: number;
  readonly state: AccountState;
}

export interface DeployedContract {
  readonly address: Address;
  readonly version: bigint;
  readonly codeHash: HashDigest;
  /** The deployable module (UTF-8 JavaScript produced by `buildContract`). */
  readonly code: string;
}

/** A KV write done by a contract; recorded as part of a KvSet derived operation. */
export interface DerivedKvWrite {
  readonly type: 'KvSet';
  readonly account: Address;
  readonly key: string;
  readonly value: TypedValue;
  readonly expectedVersion: bigint;
  /** The contract that wrote it. */
  readonly contract: Address;
}

/** An event published by a contract; `contractSource` of the recorded Event. */
export interface DerivedEventPublish {
  readonly type: 'EventPublish';
  readonly account: Address;
  readonly topic: string;
  readonly content: TypedValue;
  readonly expectedSequence: bigint;
  readonly contract: Address;
}

export type DerivedOperation = DerivedKvWrite | DerivedEventPublish;

/** A contract calling another contract: subject to the same invoke permission (x bit). */
export interface NestedInvocation {
  readonly type: 'ContractInvoke';
  readonly address: Address;
  readonly method: string;
  readonly caller: Address;
}
