import type { OperationOf, Participant, RolePrivileges } from '@jadechain/types';
import { LEDGER_HASH_ALGORITHMS } from '../state/hashing.js';
import { OperationFailure, requireDerivedAddress, requirePermission } from './context.js';
import type { OperationContext } from './context.js';

export function configureRoles(op: OperationOf<'RolesConfigure'>, context: OperationContext): void {
  requirePermission(context, 'CONFIGURE_ROLES');
  for (const change of op.roles) {
    const current: RolePrivileges = context.state.role(change.name) ?? { name: change.name, ledgerPermissions: [], transactionPermissions: [] };
    context.state.putRole({
      name: change.name,
      ledgerPermissions: applyChange(current.ledgerPermissions, change.enableLedgerPermissions, change.disableLedgerPermissions),
      transactionPermissions: applyChange(
        current.transactionPermissions,
        change.enableTransactionPermissions,
        change.disableTransactionPermissions,
      ),
    });
  }
}

/**
 * Gives roles to and takes roles from users. JD Chain checks CONFIGURE_ROLES here; JadeChain
 * checks AUTHORIZE_USER_ROLES, the permission that exists for exactly this (docs/permissions.md).
 */
export function authorizeUsers(op: OperationOf<'UserAuthorize'>, context: OperationContext): void {
  requirePermission(context, 'AUTHORIZE_USER_ROLES');
  for (const authorization of op.authorizations) {
    for (const role of authorization.authorizeRoles) {
      if (context.state.role(role) === undefined) throw new OperationFailure('ROLE_DOES_NOT_EXIST', `no role ${role}`);
    }
    for (const address of authorization.userAddresses) {
      if (context.state.user(address) === undefined) throw new OperationFailure('USER_DOES_NOT_EXIST', `no user ${address.toBase58()}`);
      const current = context.state.userRoles(address)?.roles ?? [];
      const roles = applyChange(current, authorization.authorizeRoles, authorization.unauthorizeRoles);
      context.state.putUserRoles({ userAddress: address, policy: authorization.policy, roles });
    }
  }
}

export function registerParticipant(op: OperationOf<'ParticipantRegister'>, context: OperationContext): void {
  requirePermission(context, 'REGISTER_PARTICIPANT');
  requireDerivedAddress(context, op.address, op.pubKey);
  if (op.certificate !== undefined) {
    throw new OperationFailure('INVALID_OPERATION', 'participant certificates (CA identity mode) are not supported yet');
  }
  const participants = context.state.participants();
  if (participants.some((p) => p.address.equals(op.address))) {
    throw new OperationFailure('ACCOUNT_REGISTER_CONFLICT', `participant ${op.address.toBase58()} is already registered`);
  }
  const id = participants.reduce((max, p) => Math.max(max, p.id + 1), 0);
  context.state.putParticipants([...participants, { id, name: op.name, address: op.address, pubKey: op.pubKey, state: 'READY' }]);
}

/** JD Chain checks REGISTER_PARTICIPANT for state changes too; so do we. */
export function updateParticipantState(op: OperationOf<'ParticipantStateUpdate'>, context: OperationContext): void {
  requirePermission(context, 'REGISTER_PARTICIPANT');
  const participants = context.state.participants();
  const target = participants.find((p) => p.address.equals(op.address));
  if (target === undefined) throw new OperationFailure('PARTICIPANT_DOES_NOT_EXIST', `no participant ${op.address.toBase58()}`);
  const updated: Participant[] = participants.map((p) => (p === target ? { ...p, state: op.state } : p));
  if (!updated.some((p) => p.state === 'CONSENSUS')) {
    throw new OperationFailure('ILLEGAL_ACCOUNT_STATE', 'the last consensus participant cannot leave consensus');
  }
  context.state.putParticipants(updated);
}

export function updateConsensusSettings(op: OperationOf<'ConsensusSettingsUpdate'>, context: OperationContext): void {
  requirePermission(context, 'SET_CONSENSUS');
  context.state.putSettings({ ...context.state.settings(), consensus: op.consensus });
}

/**
 * Switches the hash algorithm of transaction hashes, block hashes and transaction sets from the
 * next block on. The state trees keep the algorithm chosen at genesis (spec/ledger.md).
 */
export function updateHashAlgorithm(op: OperationOf<'HashAlgorithmUpdate'>, context: OperationContext): void {
  requirePermission(context, 'SET_CRYPTO');
  if (!LEDGER_HASH_ALGORITHMS.includes(op.algorithm)) {
    throw new OperationFailure('UNSUPPORTED_HASH_ALGORITHM', `${op.algorithm} cannot hash a ledger (32-byte hashes are required)`);
  }
  const settings = context.state.settings();
  context.state.putSettings({ ...settings, crypto: { ...settings.crypto, hashAlgorithm: op.algorithm } });
}

/** (current ∪ enable) \ disable, in a stable order. */
function applyChange<T extends string>(current: readonly T[], enable: readonly T[], disable: readonly T[]): T[] {
  const result = new Set<T>(current);
  for (const item of enable) result.add(item);
  for (const item of disable) result.delete(item);
  return [...result].sort();
}
