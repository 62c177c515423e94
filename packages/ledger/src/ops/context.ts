import type { Address, HashDigest, PubKey } from '@jadechain/crypto';
import type { AccountPermission, HashingSuite, LedgerPermission, LedgerSettings, TransactionState } from '@jadechain/types';
import type { ContractExecutor } from '../contracts/port.js';
import type { TransactionOutputs } from './outputs.js';
import { accountAllows, isOwner } from '../security/privileges.js';
import type { AccountAccess, Signer } from '../security/privileges.js';
import type { LedgerState } from '../state/records.js';

/**
 * Why an operation (and so its transaction) failed: a TransactionState code recorded in the
 * result, and a message for logs. Handlers throw it; the executor turns it into a FAILED result.
 */
export class OperationFailure extends Error {
  constructor(
    readonly state: TransactionState,
    message: string,
  ) {
    super(message);
    this.name = 'OperationFailure';
  }
}

/** What a handler sees: the state (inside the transaction's own layer) and who signed. */
export interface OperationContext {
  readonly state: LedgerState;
  /** Settings as of the parent block: changes made in this block apply from the next one. */
  readonly settings: LedgerSettings;
  readonly endpointSigners: readonly Signer[];
  readonly transactionHash: HashDigest;
  readonly height: number;
  /** Consensus timestamp of the block (ms); what contracts see as the time. */
  readonly blockTimestamp: bigint;
  readonly suite: HashingSuite;
  /** Runs contracts; without one, ContractInvoke answers CONTRACT_EXECUTION_UNAVAILABLE. */
  readonly executor: ContractExecutor | undefined;
  /** Position of the running operation in its transaction. */
  readonly operationIndex: number;
  /** Return values, derived operations and contract receipts of the transaction so far. */
  readonly outputs: TransactionOutputs;
  /**
   * The contract performing this operation, when it is a derived one: it counts among the
   * signers (added to `endpointSigners`) and events name it as their source.
   */
  readonly contractSource?: Address;
  /** Address of a public key (cached: deriving it costs two hashes). */
  addressOf(pubKey: PubKey): Address;
}

/** At least one endpoint signer must hold the ledger permission (JD Chain's AT_LEAST_ONE rule). */
export function requirePermission(context: OperationContext, permission: LedgerPermission): void {
  if (!context.endpointSigners.some((signer) => signer.ledgerPermissions.has(permission))) {
    throw new OperationFailure('REJECTED_BY_SECURITY_POLICY', `no endpoint signer holds ${permission}`);
  }
}

/** `kind` and `address` name the account in the failure message (only built on failure). */
export function requireAccountAccess(context: OperationContext, permission: AccountPermission, access: AccountAccess, kind: string, address: Address): void {
  if (!accountAllows(permission, context.endpointSigners, access)) {
    throw new OperationFailure('REJECTED_BY_SECURITY_POLICY', `the mode bits of ${kind} ${address.toBase58()} give no endpoint signer ${access} access`);
  }
}

export function requireOwner(context: OperationContext, permission: AccountPermission, what: string): void {
  if (!context.endpointSigners.some((signer) => isOwner(permission, signer.address))) {
    throw new OperationFailure('REJECTED_BY_SECURITY_POLICY', `only an owner of ${what} may change its permission`);
  }
}

/** A registered identity's address must be the one its public key derives. */
export function requireDerivedAddress(context: OperationContext, address: Address, pubKey: PubKey): void {
  if (!context.addressOf(pubKey).equals(address)) {
    throw new OperationFailure('INVALID_OPERATION', `address ${address.toBase58()} is not derived from its public key`);
  }
  if (!context.settings.crypto.signatureAlgorithms.includes(pubKey.algorithm)) {
    throw new OperationFailure('INVALID_OPERATION', `the ledger does not accept ${pubKey.algorithm} keys`);
  }
}

/** A new account's permission: its creators own it, with the default mode bits and no role. */
export function creatorPermission(context: OperationContext, modeBits: number): AccountPermission {
  return { owners: context.endpointSigners.map((signer) => signer.address), modeBits };
}
