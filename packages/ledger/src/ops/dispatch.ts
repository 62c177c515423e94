import type { Operation, OperationOf, OperationType, TransactionPermission } from '@jadechain/types';
import { publishEvents, registerDataAccount, registerEventAccount, setAccountPermission, setKv } from './accounts.js';
import { authorizeUsers, configureRoles, registerParticipant, updateConsensusSettings, updateHashAlgorithm, updateParticipantState } from './admin.js';
import { OperationFailure } from './context.js';
import type { OperationContext } from './context.js';
import { deployContract, invokeContract, updateContractState } from './contracts.js';
import { registerUser, updateUserCertificate, updateUserState } from './users.js';

type Handlers = { readonly [K in OperationType]: (op: OperationOf<K>, context: OperationContext) => void };

const HANDLERS: Handlers = {
  UserRegister: registerUser,
  UserStateUpdate: updateUserState,
  UserCertificateUpdate: updateUserCertificate,
  ContractStateUpdate: updateContractState,
  DataAccountRegister: registerDataAccount,
  KvSet: setKv,
  ContractDeploy: deployContract,
  ContractInvoke: invokeContract,
  ParticipantRegister: registerParticipant,
  ParticipantStateUpdate: updateParticipantState,
  RolesConfigure: configureRoles,
  UserAuthorize: authorizeUsers,
  EventAccountRegister: registerEventAccount,
  EventPublish: publishEvents,
  ConsensusSettingsUpdate: updateConsensusSettings,
  HashAlgorithmUpdate: updateHashAlgorithm,
  AccountPermissionSet: setAccountPermission,
};

/** The transaction permission an operation needs: contract calls one, everything else the other. */
export function transactionPermissionFor(operation: Operation): TransactionPermission {
  return operation.type === 'ContractInvoke' ? 'CONTRACT_OPERATION' : 'DIRECT_OPERATION';
}

/** Runs one operation: its transaction permission, then its handler (which checks the rest). */
export function executeOperation(operation: Operation, context: OperationContext): void {
  const permission = transactionPermissionFor(operation);
  if (!context.endpointSigners.some((signer) => signer.transactionPermissions.has(permission))) {
    throw new OperationFailure('REJECTED_BY_SECURITY_POLICY', `no endpoint signer holds the transaction permission ${permission}`);
  }
  const handler = HANDLERS[operation.type] as (op: Operation, context: OperationContext) => void;
  handler(operation, context);
}
