import type { ContractAccount, OperationOf } from '@jadechain/types';
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

/** Checks everything an invocation needs, then answers that execution is not available yet. */
export function invokeContract(op: OperationOf<'ContractInvoke'>, context: OperationContext): void {
  const contract = context.state.contract(op.address)?.value;
  if (contract === undefined) throw new OperationFailure('CONTRACT_DOES_NOT_EXIST', `no contract ${op.address.toBase58()}`);
  if (contract.state !== 'NORMAL') throw new OperationFailure('ILLEGAL_ACCOUNT_STATE', `contract ${op.address.toBase58()} is ${contract.state}`);
  requireAccountAccess(context, contract.permission, 'execute', 'contract', op.address);
  if (op.version !== undefined && op.version !== contract.version) {
    throw new OperationFailure('CONTRACT_VERSION_CONFLICT', `contract ${op.address.toBase58()} is at version ${contract.version}, not ${op.version}`);
  }
  throw new OperationFailure('CONTRACT_EXECUTION_UNAVAILABLE', 'contract execution is not available yet on this ledger');
}

export function updateContractState(op: OperationOf<'ContractStateUpdate'>, context: OperationContext): void {
  requirePermission(context, 'UPDATE_CONTRACT_STATE');
  const contract = context.state.contract(op.address)?.value;
  if (contract === undefined) throw new OperationFailure('CONTRACT_DOES_NOT_EXIST', `no contract ${op.address.toBase58()}`);
  if (contract.state === 'REVOKE') throw new OperationFailure('ILLEGAL_ACCOUNT_STATE', `contract ${op.address.toBase58()} is revoked`);
  context.state.putContract({ ...contract, state: op.state });
}
