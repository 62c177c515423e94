import { Address, type PubKey } from '@jadechain/crypto';
import { DEFAULT_ROLE, type LedgerState } from '@jadechain/ledger';
import type { AuthorizedGateway } from './config.js';

/**
 * Whether a key may act as a gateway of a ledger: a registered user holding that very key, in
 * state NORMAL, whose roles grant APPROVE_TX — the rule the ledger applies to node signers
 * (spec/ledger.md §4.3 step 4), asked once per batch so that a gateway the ledger would refuse
 * is refused before its transactions take mempool room.
 */
export function holdsApproveTx(state: LedgerState, pubKey: PubKey): boolean {
  const address = Address.fromPublicKey(pubKey);
  const user = state.user(address);
  if (user === undefined || !user.pubKey.equals(pubKey) || user.state !== 'NORMAL') return false;
  const assigned = state.userRoles(address);
  const roles = assigned === undefined || assigned.roles.length === 0 ? [DEFAULT_ROLE] : assigned.roles;
  const grants = roles.map((name) => state.role(name)?.ledgerPermissions.includes('APPROVE_TX') ?? false);
  // The user's policy combines its roles as the ledger does: any role (UNION) or every role (INTERSECT).
  return assigned?.policy === 'INTERSECT' ? grants.every(Boolean) : grants.some(Boolean);
}

/** Whether the peer's configuration lists this identity among its gateways (the transport's allow-list). */
export function isConfiguredGateway(gateways: readonly AuthorizedGateway[], pubKey: PubKey): boolean {
  return gateways.some((gateway) => ('publicKey' in gateway ? gateway.publicKey.equals(pubKey) : gateway.address.equals(Address.fromPublicKey(pubKey))));
}
