import type { Address, PubKey } from '@jadechain/crypto';
import type { AccountPermission, DataAccount, EventAccount, LedgerPermission, OperationOf, TransactionState } from '@jadechain/types';
import type { ContainerAccount, LedgerState } from '../state/records.js';
import type { Slot } from '../state/source.js';
import { CONTRACT_MODE_FLAG, DEFAULT_MODE_BITS } from '../security/privileges.js';
import {
  OperationFailure,
  creatorPermission,
  requireAccountAccess,
  requireDerivedAddress,
  requireOwner,
  requirePermission,
} from './context.js';
import type { OperationContext } from './context.js';

/** What differs between data accounts (KV entries) and event accounts (topics of events). */
interface EntryAccountKind<A> {
  readonly label: string;
  readonly registerPermission: LedgerPermission;
  readonly writePermission: LedgerPermission;
  readonly missing: TransactionState;
  find(state: LedgerState, address: Address): ContainerAccount<A> | undefined;
  register(state: LedgerState, account: { address: Address; pubKey: PubKey; permission: AccountPermission }): void;
}

const DATA: EntryAccountKind<DataAccount> = {
  label: 'data account',
  registerPermission: 'REGISTER_DATA_ACCOUNT',
  writePermission: 'WRITE_DATA_ACCOUNT',
  missing: 'DATA_ACCOUNT_DOES_NOT_EXIST',
  find: (state, address) => state.dataAccount(address),
  register: (state, account) => state.registerDataAccount(account),
};

const EVENT: EntryAccountKind<EventAccount> = {
  label: 'event account',
  registerPermission: 'REGISTER_EVENT_ACCOUNT',
  writePermission: 'WRITE_EVENT_ACCOUNT',
  missing: 'EVENT_ACCOUNT_DOES_NOT_EXIST',
  find: (state, address) => state.eventAccount(address),
  register: (state, account) => state.registerEventAccount(account),
};

function registerAccount<A>(kind: EntryAccountKind<A>, op: { address: Address; pubKey: PubKey }, context: OperationContext): void {
  requirePermission(context, kind.registerPermission);
  requireDerivedAddress(context, op.address, op.pubKey);
  if (kind.find(context.state, op.address) !== undefined) {
    throw new OperationFailure('ACCOUNT_REGISTER_CONFLICT', `${kind.label} ${op.address.toBase58()} is already registered`);
  }
  kind.register(context.state, { address: op.address, pubKey: op.pubKey, permission: creatorPermission(context, DEFAULT_MODE_BITS) });
}

/** The account exists, and the signers hold the ledger permission and the account's w bit. */
function requireWriteAccess<A extends { readonly permission: AccountPermission }>(
  kind: EntryAccountKind<A>,
  address: Address,
  context: OperationContext,
): ContainerAccount<A> {
  const found = kind.find(context.state, address);
  if (found === undefined) throw new OperationFailure(kind.missing, `no ${kind.label} ${address.toBase58()}`);
  requirePermission(context, kind.writePermission);
  requireAccountAccess(context, found.account.permission, 'write', kind.label, address);
  return found;
}

/** What a contract's KV write is checked against before it happens (and again when applied). */
export function requireDataWrite(address: Address, context: OperationContext): void {
  requireWriteAccess(DATA, address, context);
}

export function requireEventWrite(address: Address, context: OperationContext): void {
  requireWriteAccess(EVENT, address, context);
}

/** One versioned write: the entry's name (key or topic) and the version (sequence) it expects. */
interface VersionedWrite {
  readonly name: string;
  readonly expected: bigint;
}

/**
 * Checks an account and the signers' right to write it, then each write's expected version
 * against the entry's latest; `put` stores the new version at `position` if it is a first one.
 */
function writeVersions<A extends { readonly permission: AccountPermission }, W extends VersionedWrite>(
  kind: EntryAccountKind<A>,
  address: Address,
  writes: readonly W[],
  context: OperationContext,
  latest: (slot: Slot) => bigint | undefined,
  put: (found: ContainerAccount<A>, slot: Slot, write: W, version: bigint, position: number) => void,
): void {
  const found = requireWriteAccess(kind, address, context);
  let entryCount = found.entryCount;
  for (const write of writes) {
    const slot = context.state.entrySlot(found, write.name);
    const current = latest(slot) ?? -1n;
    if (write.expected !== current) {
      throw new OperationFailure('DATA_VERSION_CONFLICT', `"${write.name}" of ${kind.label} ${address.toBase58()} is at ${current}, not ${write.expected}`);
    }
    put(found, slot, write, current + 1n, entryCount);
    if (current === -1n) entryCount += 1;
  }
  if (entryCount !== found.entryCount) context.state.putEntryCount(found, entryCount);
}

export function registerDataAccount(op: OperationOf<'DataAccountRegister'>, context: OperationContext): void {
  registerAccount(DATA, op, context);
}

export function setKv(op: OperationOf<'KvSet'>, context: OperationContext): void {
  const writes = op.writes.map((write) => ({ ...write, name: write.key, expected: write.expectedVersion }));
  writeVersions(
    DATA,
    op.account,
    writes,
    context,
    (slot) => context.state.latestKvEntry(slot)?.version,
    (found, slot, write, version, position) => context.state.putKvEntry(found, slot, { key: write.key, version, value: write.value }, position),
  );
}

export function registerEventAccount(op: OperationOf<'EventAccountRegister'>, context: OperationContext): void {
  registerAccount(EVENT, op, context);
}

export function publishEvents(op: OperationOf<'EventPublish'>, context: OperationContext): void {
  const writes = op.events.map((write) => ({ ...write, name: write.topic, expected: write.expectedSequence }));
  const event = (write: (typeof writes)[number], sequence: bigint) => ({
    eventAccount: op.account,
    topic: write.topic,
    sequence,
    content: write.content,
    transactionHash: context.transactionHash,
    blockHeight: BigInt(context.height),
    ...(context.contractSource === undefined ? {} : { contractSource: context.contractSource }),
  });
  writeVersions(
    EVENT,
    op.account,
    writes,
    context,
    (slot) => context.state.latestEvent(slot)?.sequence,
    (found, slot, write, sequence, position) => context.state.putEvent(found, slot, event(write, sequence), position),
  );
}

/** Only an owner changes an account's permission; no ledger permission is needed (as in JD Chain). */
export function setAccountPermission(op: OperationOf<'AccountPermissionSet'>, context: OperationContext): void {
  if (op.role !== undefined && context.state.role(op.role) === undefined) {
    throw new OperationFailure('ROLE_DOES_NOT_EXIST', `no role ${op.role}`);
  }
  const what = `${op.accountType.toLowerCase()} account ${op.address.toBase58()}`;
  const next = (current: AccountPermission): AccountPermission => {
    requireOwner(context, current, what);
    const role = op.role ?? current.role;
    return { owners: op.owners ?? current.owners, modeBits: op.modeBits, ...(role === undefined ? {} : { role }) };
  };
  const { state } = context;
  if (op.accountType === 'DATA') {
    const found = state.dataAccount(op.address) ?? missing('DATA_ACCOUNT_DOES_NOT_EXIST', what);
    state.putDataAccount({ ...found.account, permission: next(found.account.permission) }, found.entryCount);
  } else if (op.accountType === 'EVENT') {
    const found = state.eventAccount(op.address) ?? missing('EVENT_ACCOUNT_DOES_NOT_EXIST', what);
    state.putEventAccount({ ...found.account, permission: next(found.account.permission) }, found.entryCount);
  } else {
    const found = state.contract(op.address) ?? missing('CONTRACT_DOES_NOT_EXIST', what);
    const permission = next(found.value.permission);
    state.putContract({ ...found.value, permission: { ...permission, modeBits: permission.modeBits | CONTRACT_MODE_FLAG } });
  }
}

function missing(code: 'DATA_ACCOUNT_DOES_NOT_EXIST' | 'EVENT_ACCOUNT_DOES_NOT_EXIST' | 'CONTRACT_DOES_NOT_EXIST', what: string): never {
  throw new OperationFailure(code, `${what} does not exist`);
}
