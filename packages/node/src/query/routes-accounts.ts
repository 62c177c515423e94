import { HashDigest } from '@jadechain/crypto';
import type { Address, PubKey } from '@jadechain/crypto';
import { DEFAULT_ROLE, accountAddresses, contractAtVersion, decodeContainer, proveAccount } from '@jadechain/ledger';
import type { AccountKind, Ledger, LedgerState, LedgerView } from '@jadechain/ledger';
import { LedgerPermission, TransactionPermission } from '@jadechain/types';
import type { ContractAccount, JsonValue, RolePrivileges } from '@jadechain/types';
import { QueryError } from './errors.js';
import { addressJson, base64, identityJson, permissionJson, privilegesJson } from './json.js';
import type { JsonObject } from './json.js';
import { parseAddress, parseNonNegative, parsePage, parseRoleName } from './params.js';
import type { RouteRequest, Router } from './router.js';

/** §7.4–7.6: users, roles and privileges, data accounts and contracts (KV entries: routes-entries). */
export function addAccountRoutes(router: Router): void {
  router.ledger('/users', (ledger, request) => accountList(ledger.tip, 'users', request));
  router.ledger('/users/address/:address', (ledger, { params }) => {
    const state = ledger.tip.state();
    const address = parseAddress(params['address'] ?? '', 'user address');
    const user = found(state.user(address), 'user', address);
    const roles = state.userRoles(address);
    return {
      ...identityJson(user.address, user.pubKey),
      iD: identityJson(user.address, user.pubKey),
      state: user.state,
      certificate: user.certificate ?? null,
      roles: roles === undefined || roles.roles.length === 0 ? [DEFAULT_ROLE] : [...roles.roles],
      rolesPolicy: roles?.policy ?? 'UNION',
    };
  });
  router.ledger('/authorization/role/:roleName', (ledger, { params }) => {
    const name = parseRoleName(params['roleName'] ?? '');
    const role = ledger.tip.state().role(name);
    // DEFAULT always exists for users without roles; unconfigured, it grants nothing.
    if (role === undefined && name !== DEFAULT_ROLE) throw new QueryError('ROLE_NOT_FOUND', `no role ${name}`);
    return {
      roleName: name,
      ledgerPrivilege: privilegesJson(role?.ledgerPermissions ?? [], LedgerPermission),
      transactionPrivilege: privilegesJson(role?.transactionPermissions ?? [], TransactionPermission),
    };
  });
  router.ledger('/authorization/user/:userAddress', (ledger, { params }) => userPrivileges(ledger.tip.state(), parseAddress(params['userAddress'] ?? '', 'user address')));

  router.ledger('/accounts', (ledger, request) => accountList(ledger.tip, 'dataAccounts', request));
  router.ledger('/accounts/address/:address', (ledger, { params }) => dataAccountJson(ledger.tip, parseAddress(params['address'] ?? '', 'account address')));

  router.ledger('/contracts', (ledger, request) => accountList(ledger.tip, 'contracts', request));
  const contract = (compiled: boolean) => (ledger: Ledger, { params }: RouteRequest): JsonValue => {
    const view = ledger.tip;
    const address = parseAddress(params['address'] ?? '', 'contract address');
    const latest = found(view.state().contract(address), 'contract', address).value;
    const versionText = params['version'];
    if (versionText === undefined) return contractJson(view, latest, compiled);
    const version = parseNonNegative(versionText, 'contract version');
    const atVersion = contractAtVersion(view, address, BigInt(version));
    if (atVersion === undefined) throw new QueryError('VERSION_NOT_FOUND', `contract ${address.toBase58()} has no version ${version} (latest ${latest.version})`);
    return contractJson(view, atVersion, compiled);
  };
  router.ledger('/contracts/address/:address', contract(false));
  router.ledger('/contracts/address/:address/compiled', contract(true));
  router.ledger('/contracts/address/:address/version/:version', contract(false));
  router.ledger('/contracts/address/:address/version/:version/compiled', contract(true));
}

export function found<T>(value: T | undefined, what: string, address: Address): T {
  if (value === undefined) throw new QueryError('ACCOUNT_NOT_FOUND', `no ${what} ${address.toBase58()}`);
  return value;
}

/** `[{address, pubKey}]` of one kind of account, in registration order, one page. */
export function accountList(view: LedgerView, kind: AccountKind, { query }: RouteRequest): JsonValue {
  const { from, count } = parsePage(query);
  const state = view.state();
  return accountAddresses(view, kind, from, count).map((address) => {
    const pubKey = pubKeyOf(state, kind, address);
    if (pubKey === undefined) throw new QueryError('INTERNAL_ERROR', `listed account ${address.toBase58()} has no record`);
    return identityJson(address, pubKey);
  });
}

function pubKeyOf(state: LedgerState, kind: AccountKind, address: Address): PubKey | undefined {
  switch (kind) {
    case 'users':
      return state.user(address)?.pubKey;
    case 'dataAccounts':
      return state.dataAccount(address)?.account.pubKey;
    case 'contracts':
      return state.contract(address)?.value.pubKey;
    case 'eventAccounts':
      return state.eventAccount(address)?.account.pubKey;
  }
}

/**
 * A user's roles and what they grant, combined by its policy: UNION grants what any role grants,
 * INTERSECT what every role grants; a user without roles has DEFAULT (also an unknown address).
 */
function userPrivileges(state: LedgerState, address: Address): JsonObject {
  const assigned = state.userRoles(address);
  const roles = assigned === undefined || assigned.roles.length === 0 ? [DEFAULT_ROLE] : [...assigned.roles];
  const policy = assigned?.policy ?? 'UNION';
  const granted = roles.map((name): RolePrivileges => state.role(name) ?? { name, ledgerPermissions: [], transactionPermissions: [] });
  const combine = <P>(pick: (role: RolePrivileges) => readonly P[]): P[] => {
    const sets = granted.map((role) => new Set(pick(role)));
    const all = [...new Set(sets.flatMap((set) => [...set]))];
    return policy === 'INTERSECT' ? all.filter((item) => sets.every((set) => set.has(item))) : all;
  };
  return {
    userAddress: addressJson(address),
    userRole: roles,
    policy,
    ledgerPrivilegesBitset: privilegesJson(combine((role) => role.ledgerPermissions), LedgerPermission),
    transactionPrivilegesBitset: privilegesJson(combine((role) => role.transactionPermissions), TransactionPermission),
  };
}

/** DataAccountInfo: identity, permission, and its KV tree (root and number of keys). */
function dataAccountJson(view: LedgerView, address: Address): JsonObject {
  const account = found(view.state().dataAccount(address), 'data account', address);
  const record = proveAccount(view, 'dataAccounts', address).record;
  if (record === undefined) throw new QueryError('INTERNAL_ERROR', `data account ${address.toBase58()} has no tree record`);
  const rootHash = new HashDigest(view.context.stateHashAlgorithm, decodeContainer(record).entriesRoot).toBase58();
  return {
    ...identityJson(account.account.address, account.account.pubKey),
    iD: identityJson(account.account.address, account.account.pubKey),
    dataRootHash: rootHash,
    dataset: { dataCount: account.entryCount, rootHash },
    permission: permissionJson(account.account.permission),
  };
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * ContractInfo. JD Chain shows decompiled Java source as `chainCode`; JadeChain's contracts are
 * stored as their source, so `chainCode` is that text when it is UTF-8 (else base64, as
 * `/compiled` always gives it), and `chainCodeEncoding` says which.
 */
function contractJson(view: LedgerView, contract: ContractAccount, compiled: boolean): JsonObject {
  const code = view.state().code(contract.codeHash.toBytes());
  if (code === undefined) throw new QueryError('INTERNAL_ERROR', `the code of contract ${contract.address.toBase58()} is missing`);
  let text: string | undefined;
  if (!compiled) {
    try {
      text = STRICT_UTF8.decode(code);
    } catch {
      text = undefined;
    }
  }
  return {
    ...identityJson(contract.address, contract.pubKey),
    iD: identityJson(contract.address, contract.pubKey),
    chainCodeVersion: Number(contract.version),
    state: contract.state,
    lang: contract.language,
    codeHash: contract.codeHash.toBase58(),
    permission: permissionJson(contract.permission),
    chainCode: text ?? base64(code),
    chainCodeEncoding: text === undefined ? 'base64' : 'utf8',
  };
}
