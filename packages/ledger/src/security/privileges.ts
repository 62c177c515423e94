import type { Address, PubKey } from '@jadechain/crypto';
import type { AccountPermission, LedgerPermission, TransactionPermission } from '@jadechain/types';
import type { LedgerState } from '../state/records.js';

/** The role every user without roles of its own has; it grants nothing unless configured. */
export const DEFAULT_ROLE = 'DEFAULT';

/** A transaction signer who is a registered user, with what its roles let it do. */
export interface Signer {
  readonly address: Address;
  readonly pubKey: PubKey;
  readonly roles: readonly string[];
  readonly ledgerPermissions: ReadonlySet<LedgerPermission>;
  readonly transactionPermissions: ReadonlySet<TransactionPermission>;
}

/**
 * What a user may do: the permissions of its roles (DEFAULT when it has none) combined by its
 * policy — UNION grants what any role grants, INTERSECT what every role grants. A role that does
 * not exist grants nothing (so under INTERSECT it cancels everything).
 */
export function signerOf(state: LedgerState, address: Address, pubKey: PubKey): Signer {
  const assigned = state.userRoles(address);
  const roles = assigned === undefined || assigned.roles.length === 0 ? [DEFAULT_ROLE] : assigned.roles;
  const intersect = assigned?.policy === 'INTERSECT';
  let ledger: Set<LedgerPermission> | undefined;
  let transaction: Set<TransactionPermission> | undefined;
  for (const name of roles) {
    const role = state.role(name);
    const roleLedger = new Set(role?.ledgerPermissions ?? []);
    const roleTransaction = new Set(role?.transactionPermissions ?? []);
    ledger = ledger === undefined ? roleLedger : combine(ledger, roleLedger, intersect);
    transaction = transaction === undefined ? roleTransaction : combine(transaction, roleTransaction, intersect);
  }
  return { address, pubKey, roles, ledgerPermissions: ledger ?? new Set(), transactionPermissions: transaction ?? new Set() };
}

function combine<T>(into: Set<T>, other: ReadonlySet<T>, intersect: boolean): Set<T> {
  if (intersect) {
    for (const item of into) if (!other.has(item)) into.delete(item);
  } else {
    for (const item of other) into.add(item);
  }
  return into;
}

/** What an account-level check asks for: JD Chain's r, w and x bits. */
export type AccountAccess = 'read' | 'write' | 'execute';

const ACCESS_BIT: Readonly<Record<AccountAccess, number>> = { read: 4, write: 2, execute: 1 };

/** Mode bits for accounts registered without explicit ones: owners rwx, role r-x, others r-x (0o755). */
export const DEFAULT_MODE_BITS = 0o755;
/** JD Chain's "c" flag (bit 9) marks a contract account; it is informational. */
export const CONTRACT_MODE_FLAG = 0o1000;

/**
 * Whether any of the signers may access an account in this way. Like chmod: each signer falls in
 * the first class that applies — owner, holder of the account's role, others — and that class's
 * bits decide (an owner whose owner bits lack `w` may not write even if others may).
 */
export function accountAllows(permission: AccountPermission, signers: readonly Signer[], access: AccountAccess): boolean {
  const bit = ACCESS_BIT[access];
  return signers.some((signer) => {
    const shift = isOwner(permission, signer.address) ? 6 : permission.role !== undefined && signer.roles.includes(permission.role) ? 3 : 0;
    return ((permission.modeBits >> shift) & bit) !== 0;
  });
}

export function isOwner(permission: AccountPermission, address: Address): boolean {
  return permission.owners.some((owner) => owner.equals(address));
}
