import type { Address } from '@jadechain/crypto';
import type { OperationOf, UserAccount } from '@jadechain/types';
import { OperationFailure, requireDerivedAddress, requirePermission } from './context.js';
import type { OperationContext } from './context.js';

export function registerUser(op: OperationOf<'UserRegister'>, context: OperationContext): void {
  requirePermission(context, 'REGISTER_USER');
  requireDerivedAddress(context, op.address, op.pubKey);
  if (context.state.user(op.address) !== undefined) {
    throw new OperationFailure('ACCOUNT_REGISTER_CONFLICT', `user ${op.address.toBase58()} is already registered`);
  }
  if (context.settings.identityMode === 'CA' && op.certificate === undefined) {
    throw new OperationFailure('INVALID_OPERATION', 'a ledger in CA identity mode registers users with a certificate');
  }
  const user: UserAccount = { address: op.address, pubKey: op.pubKey, state: 'NORMAL', ...(op.certificate === undefined ? {} : { certificate: op.certificate }) };
  context.state.registerUser(user);
}

export function updateUserState(op: OperationOf<'UserStateUpdate'>, context: OperationContext): void {
  requirePermission(context, 'UPDATE_USER_STATE');
  const user = changeableUser(context, op.address);
  context.state.putUser({ ...user, state: op.state });
}

export function updateUserCertificate(op: OperationOf<'UserCertificateUpdate'>, context: OperationContext): void {
  requirePermission(context, 'UPDATE_USER_CA');
  const user = changeableUser(context, op.address);
  context.state.putUser({ ...user, certificate: op.certificate });
}

/** A registered user that is not revoked: revocation is final. */
function changeableUser(context: OperationContext, address: Address): UserAccount {
  const user = context.state.user(address);
  if (user === undefined) throw new OperationFailure('USER_DOES_NOT_EXIST', `no user ${address.toBase58()}`);
  if (user.state === 'REVOKE') throw new OperationFailure('ILLEGAL_ACCOUNT_STATE', `user ${address.toBase58()} is revoked`);
  return user;
}
