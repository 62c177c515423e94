import type { Address } from '@jadechain/crypto';
import { CodecLimits } from '@jadechain/types';
import type { ContractAccount, EventWrite, KvWrite, OperationOf, TransactionState } from '@jadechain/types';
import { LedgerContractHost, requireInvocable } from '../contracts/host.js';
import type { DerivedOperation } from '../contracts/port.js';
import { failureRecord } from '../contracts/receipt.js';
import { LedgerError } from '../errors.js';
import { publishEvents, setKv } from './accounts.js';
import { CONTRACT_MODE_FLAG, DEFAULT_MODE_BITS } from '../security/privileges.js';
import { OperationFailure, creatorPermission, requireAccountAccess, requireDerivedAddress, requirePermission } from './context.js';
import type { OperationContext } from './context.js';

/**
 * Records a contract's code: a first deployment needs REGISTER_CONTRACT, an upgrade
 * UPGRADE_CONTRACT plus write access to the contract account (JD Chain checks UPGRADE_CONTRACT
 * for both and never REGISTER_CONTRACT; docs/permissions.md). Every version stays readable.
 */
export function deployContract(op: OperationOf<'ContractDeploy'>, context: OperationContext): void {
  requireDerivedAddress(context, op.address, op.pubKey);
  requireRunnableCode(op, context);
  const existing = context.state.contract(op.address)?.value;
  const codeHash = context.suite.hash(context.settings.crypto.hashAlgorithm, op.code);
  if (existing === undefined) {
    requirePermission(context, 'REGISTER_CONTRACT');
    if (op.expectedVersion !== -1n) {
      throw new OperationFailure('CONTRACT_VERSION_CONFLICT', `contract ${op.address.toBase58()} is not deployed, so the expected version must be -1`);
    }
    const contract: ContractAccount = {
      address: op.address,
      pubKey: op.pubKey,
      codeHash,
      version: 0n,
      state: 'NORMAL',
      language: op.language,
      permission: creatorPermission(context, DEFAULT_MODE_BITS | CONTRACT_MODE_FLAG),
    };
    context.state.registerContract(contract);
  } else {
    requirePermission(context, 'UPGRADE_CONTRACT');
    requireAccountAccess(context, existing.permission, 'write', 'contract', op.address);
    if (existing.state !== 'NORMAL') throw new OperationFailure('ILLEGAL_ACCOUNT_STATE', `contract ${op.address.toBase58()} is ${existing.state}`);
    if (op.expectedVersion !== existing.version) {
      throw new OperationFailure('CONTRACT_VERSION_CONFLICT', `contract ${op.address.toBase58()} is at version ${existing.version}, not ${op.expectedVersion}`);
    }
    context.state.putContract({ ...existing, codeHash, version: existing.version + 1n, language: op.language });
  }
  context.state.putCode(codeHash.toBytes(), op.code);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A ledger that runs contracts accepts only code its executor loads: JavaScript, UTF-8, whose
 * module evaluates within the limits (JD Chain's ILLEGAL_CONTRACT_CAR for a bad package).
 */
function requireRunnableCode(op: OperationOf<'ContractDeploy'>, context: OperationContext): void {
  const { executor } = context;
  if (executor === undefined) return;
  if (op.language !== 'JAVASCRIPT') throw new OperationFailure('ILLEGAL_CONTRACT_CAR', `this ledger runs JAVASCRIPT contracts, not ${op.language}`);
  let text: string;
  try {
    text = strictUtf8.decode(op.code);
  } catch {
    throw new OperationFailure('ILLEGAL_CONTRACT_CAR', 'contract code must be UTF-8 text');
  }
  const check = executor.checkCode(text);
  if (check.status === 'ABSTAIN') {
    throw new LedgerError('CONTRACT_ABSTAINED', `the code of contract ${op.address.toBase58()} could not be checked here: ${check.reason}`, context.transactionHash);
  }
  if (check.status === 'FAILED') {
    throw new OperationFailure('ILLEGAL_CONTRACT_CAR', `the contract does not load: ${check.error.code}: ${check.error.message}`);
  }
}

/**
 * Runs a contract method through the ledger's executor: its derived operations are applied with
 * the direct operations' checks (the contract counted as a signer), its return value becomes the
 * operation's result, and its gas and any error go into the transaction's contract receipt.
 */
export function invokeContract(op: OperationOf<'ContractInvoke'>, context: OperationContext): void {
  const contract = requireInvocable(op.address, context);
  if (op.version !== undefined && op.version !== contract.version) {
    throw new OperationFailure('CONTRACT_VERSION_CONFLICT', `contract ${op.address.toBase58()} is at version ${contract.version}, not ${op.version}`);
  }
  const { executor } = context;
  if (executor === undefined) throw new OperationFailure('CONTRACT_EXECUTION_UNAVAILABLE', 'this ledger runs no contracts');
  const host = new LedgerContractHost(context);
  const execution = executor.invoke(host, { contract: op.address, method: op.method, args: op.args });
  if (execution.status === 'ABSTAIN') {
    throw new LedgerError('CONTRACT_ABSTAINED', `contract ${op.address.toBase58()} could not be run to the end here: ${execution.reason}`, context.transactionHash);
  }
  const receipt = { operationIndex: context.operationIndex, contract: op.address, version: BigInt(contract.version), method: op.method, gasUsed: BigInt(execution.gasUsed) };
  if (execution.status === 'FAILED') {
    context.outputs.invocations.push({ ...receipt, failure: failureRecord(execution.error) });
    throw new OperationFailure(failureState(execution.error.code), `contract ${op.address.toBase58()} failed: ${execution.error.message}`);
  }
  const derived = groupDerived(execution.derivedOperations);
  if (context.outputs.derivedOperations.length + derived.length > CodecLimits.MAX_OPERATIONS) {
    const failure = { code: 'TOO_MANY_DERIVED_OPERATIONS', message: `a transaction may derive at most ${CodecLimits.MAX_OPERATIONS} operations`, stack: '' };
    context.outputs.invocations.push({ ...receipt, failure });
    throw new OperationFailure('CONTRACT_EXECUTE_ERROR', failure.message);
  }
  context.outputs.invocations.push(receipt);
  for (const { operation, contract: source } of derived) {
    const acting = host.actingAs(source);
    if (operation.type === 'KvSet') setKv(operation, acting);
    else publishEvents(operation, acting);
    context.outputs.derivedOperations.push(operation);
  }
  context.outputs.operationResults.push({ index: context.operationIndex, value: execution.value });
}

/** The TransactionState recorded for a failed invocation (JD Chain's codes where it has one). */
function failureState(code: string): TransactionState {
  if (code === 'METHOD_NOT_FOUND') return 'CONTRACT_METHOD_NOT_FOUND';
  if (code === 'INVALID_VALUE') return 'CONTRACT_PARAMETER_ERROR';
  return 'CONTRACT_EXECUTE_ERROR';
}

interface Derived {
  readonly operation: OperationOf<'KvSet'> | OperationOf<'EventPublish'>;
  readonly contract: Address;
}

/** Consecutive writes of one contract to one account make one operation, as a client would send them. */
function groupDerived(writes: readonly DerivedOperation[]): Derived[] {
  const grouped: Array<{ operation: { type: 'KvSet'; account: Address; writes: KvWrite[] } | { type: 'EventPublish'; account: Address; events: EventWrite[] }; contract: Address }> = [];
  for (const write of writes) {
    const last = grouped.at(-1);
    const joins = last !== undefined && last.operation.type === write.type && last.operation.account.equals(write.account) && last.contract.equals(write.contract);
    if (write.type === 'KvSet') {
      const item = { key: write.key, value: write.value, expectedVersion: write.expectedVersion };
      if (joins && last.operation.type === 'KvSet' && last.operation.writes.length < CodecLimits.MAX_WRITES_PER_OPERATION) last.operation.writes.push(item);
      else grouped.push({ operation: { type: 'KvSet', account: write.account, writes: [item] }, contract: write.contract });
    } else {
      const item = { topic: write.topic, content: write.content, expectedSequence: write.expectedSequence };
      if (joins && last.operation.type === 'EventPublish' && last.operation.events.length < CodecLimits.MAX_WRITES_PER_OPERATION) last.operation.events.push(item);
      else grouped.push({ operation: { type: 'EventPublish', account: write.account, events: [item] }, contract: write.contract });
    }
  }
  return grouped;
}

export function updateContractState(op: OperationOf<'ContractStateUpdate'>, context: OperationContext): void {
  requirePermission(context, 'UPDATE_CONTRACT_STATE');
  const contract = context.state.contract(op.address)?.value;
  if (contract === undefined) throw new OperationFailure('CONTRACT_DOES_NOT_EXIST', `no contract ${op.address.toBase58()}`);
  if (contract.state === 'REVOKE') throw new OperationFailure('ILLEGAL_ACCOUNT_STATE', `contract ${op.address.toBase58()} is revoked`);
  context.state.putContract({ ...contract, state: op.state });
}
