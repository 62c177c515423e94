import type { Address } from '@jadechain/crypto';
import {
  ContractAccount,
  DataAccount,
  Event,
  EventAccount,
  KvEntry,
  LedgerInitProposal,
  LedgerSettings,
  ParticipantSet,
  RolePrivileges,
  UserAccount,
  UserRoles,
} from '@jadechain/types';
import type { Codec, Participant } from '@jadechain/types';
import { LedgerError } from '../errors.js';
import type { ContainerView, StateAccess } from './access.js';
import { concatBytes, utf8 } from './bytes.js';
import { DATASET, codeKey } from './layout.js';
import type { DatasetId } from './layout.js';
import type { Slot } from './source.js';

/** Counter names of the ledger-wide totals kept with each block. */
export const COUNTERS = ['users', 'dataAccounts', 'eventAccounts', 'contracts'] as const;
export type CounterName = (typeof COUNTERS)[number];

/** Logical keys of the admin dataset (spec/ledger.md, "State layout"). */
const ADMIN_KEY = {
  settings: utf8('settings'),
  participants: utf8('participants'),
  proposal: utf8('init-proposal'),
  role: (name: string) => utf8(`role:${name}`),
  userRoles: (address: Address) => concatBytes(utf8('user-roles:'), address.toBytes()),
};

const decodedCache = new WeakMap<Uint8Array, unknown>();

/** Decodes stored record bytes once per bytes object (stored records are never mutated). */
function decodeRecord<T>(codec: Codec<T>, bytes: Uint8Array): T {
  const cached = decodedCache.get(bytes);
  if (cached !== undefined) return cached as T;
  let value: T;
  try {
    value = codec.decode(bytes);
  } catch (error) {
    throw new LedgerError('CORRUPT_STATE', `a stored record does not decode: ${(error as Error).message}`);
  }
  decodedCache.set(bytes, value);
  return value;
}

/** A record with the revision of its slot that holds it. */
export interface Versioned<T> {
  readonly value: T;
  readonly revision: number;
}

/** An account that owns a tree of entries, with how many entries it holds. */
export interface ContainerAccount<T> extends ContainerView {
  readonly account: T;
}

/** The dataset of the entries each account dataset holds. */
const NESTED_OF: ReadonlyMap<DatasetId, DatasetId> = new Map([
  [DATASET.dataAccounts, DATASET.kvEntries],
  [DATASET.eventAccounts, DATASET.events],
]);

/**
 * Typed reads and writes of every dataset, over untyped StateAccess. Handlers and queries use
 * this and nothing below it, so the layout of keys lives in one place. Values read are decoded
 * once and shared between readers: treat them as immutable (write changed copies back).
 */
export class LedgerState {
  constructor(readonly access: StateAccess) {}

  get height(): number {
    return this.access.height;
  }

  // ---- admin dataset ----

  settings(): LedgerSettings {
    const record = this.access.latest(this.adminSlot(ADMIN_KEY.settings));
    if (record === undefined) throw new LedgerError('CORRUPT_STATE', 'the ledger has no settings');
    return decodeRecord(LedgerSettings, record.bytes);
  }

  putSettings(settings: LedgerSettings): void {
    this.access.append(this.adminSlot(ADMIN_KEY.settings), LedgerSettings.encode(settings));
  }

  /** Every participant ever registered, in id order, whatever its state. */
  participants(): readonly Participant[] {
    const record = this.access.latest(this.adminSlot(ADMIN_KEY.participants));
    return record === undefined ? [] : decodeRecord(ParticipantSet, record.bytes).participants;
  }

  putParticipants(participants: readonly Participant[]): void {
    const ordered = [...participants].sort((a, b) => a.id - b.id);
    this.access.append(this.adminSlot(ADMIN_KEY.participants), ParticipantSet.encode({ participants: ordered }));
  }

  putInitProposal(proposal: LedgerInitProposal): void {
    this.access.append(this.adminSlot(ADMIN_KEY.proposal), LedgerInitProposal.encode(proposal));
  }

  initProposal(): LedgerInitProposal | undefined {
    const record = this.access.latest(this.adminSlot(ADMIN_KEY.proposal));
    return record === undefined ? undefined : decodeRecord(LedgerInitProposal, record.bytes);
  }

  role(name: string): RolePrivileges | undefined {
    const record = this.access.latest(this.adminSlot(ADMIN_KEY.role(name)));
    return record === undefined ? undefined : decodeRecord(RolePrivileges, record.bytes);
  }

  putRole(role: RolePrivileges): void {
    this.access.append(this.adminSlot(ADMIN_KEY.role(role.name)), RolePrivileges.encode(role));
  }

  userRoles(address: Address): UserRoles | undefined {
    const record = this.access.latest(this.adminSlot(ADMIN_KEY.userRoles(address)));
    return record === undefined ? undefined : decodeRecord(UserRoles, record.bytes);
  }

  putUserRoles(roles: UserRoles): void {
    this.access.append(this.adminSlot(ADMIN_KEY.userRoles(roles.userAddress)), UserRoles.encode(roles));
  }

  // ---- users and contracts (plain records, one per address) ----

  user(address: Address): UserAccount | undefined {
    return this.addressed(DATASET.users, UserAccount, address)?.value;
  }

  registerUser(user: UserAccount): void {
    this.listAddress(DATASET.users, 'users', user.address);
    this.putUser(user);
  }

  putUser(user: UserAccount): void {
    this.access.append(this.access.slot(DATASET.users, user.address.bytesView()), UserAccount.encode(user));
  }

  contract(address: Address): Versioned<ContractAccount> | undefined {
    return this.addressed(DATASET.contracts, ContractAccount, address);
  }

  contractAtRevision(address: Address, revision: number): ContractAccount | undefined {
    const record = this.access.atRevision(this.access.slot(DATASET.contracts, address.bytesView()), revision);
    return record === undefined ? undefined : decodeRecord(ContractAccount, record.bytes);
  }

  registerContract(contract: ContractAccount): void {
    this.listAddress(DATASET.contracts, 'contracts', contract.address);
    this.putContract(contract);
  }

  putContract(contract: ContractAccount): void {
    this.access.append(this.access.slot(DATASET.contracts, contract.address.bytesView()), ContractAccount.encode(contract));
  }

  code(codeHash: Uint8Array): Uint8Array | undefined {
    return this.access.blob(codeKey(codeHash));
  }

  putCode(codeHash: Uint8Array, code: Uint8Array): void {
    this.access.putBlob(codeKey(codeHash), code);
  }

  // ---- data and event accounts (accounts with a tree of entries) ----

  dataAccount(address: Address): ContainerAccount<DataAccount> | undefined {
    return this.containerAccount(DATASET.dataAccounts, DataAccount, address);
  }

  registerDataAccount(account: DataAccount): void {
    this.listAddress(DATASET.dataAccounts, 'dataAccounts', account.address);
    this.putDataAccount(account, 0);
  }

  putDataAccount(account: DataAccount, entryCount: number): void {
    const slot = this.access.slot(DATASET.dataAccounts, account.address.bytesView());
    this.access.putContainer({ slot, header: DataAccount.encode(account), entryCount });
  }

  eventAccount(address: Address): ContainerAccount<EventAccount> | undefined {
    return this.containerAccount(DATASET.eventAccounts, EventAccount, address);
  }

  registerEventAccount(account: EventAccount): void {
    this.listAddress(DATASET.eventAccounts, 'eventAccounts', account.address);
    this.putEventAccount(account, 0);
  }

  putEventAccount(account: EventAccount, entryCount: number): void {
    const slot = this.access.slot(DATASET.eventAccounts, account.address.bytesView());
    this.access.putContainer({ slot, header: EventAccount.encode(account), entryCount });
  }

  /** Records a new entry count of an account, keeping its header as it is. */
  putEntryCount(container: ContainerAccount<unknown>, entryCount: number): void {
    this.access.putContainer({ slot: container.slot, header: container.header, entryCount });
  }

  /** Where a KV entry of a data account (or a topic of an event account) keeps its versions. */
  entrySlot(container: ContainerAccount<unknown>, name: string): Slot {
    return this.access.slot(NESTED_OF.get(container.slot.dataset) ?? DATASET.kvEntries, utf8(name), container.slot.key);
  }

  /** The latest version of a key (version = revision), or undefined if the key was never set. */
  kvEntry(account: Address, key: string, version?: number): KvEntry | undefined {
    const container = this.dataAccount(account);
    return container === undefined ? undefined : this.versioned(KvEntry, this.entrySlot(container, key), version);
  }

  latestKvEntry(slot: Slot): KvEntry | undefined {
    return this.versioned(KvEntry, slot);
  }

  /** Appends a KV entry version; a first version also takes the next place in the account's key list. */
  putKvEntry(container: ContainerAccount<unknown>, slot: Slot, entry: KvEntry, position: number): void {
    if (entry.version === 0n) this.access.addListItem(DATASET.kvEntries, container.slot.key, position, utf8(entry.key));
    this.access.append(slot, KvEntry.encode(entry));
  }

  kvKeyAt(account: Address, position: number): string | undefined {
    return this.nestedListItem(DATASET.dataAccounts, DATASET.kvEntries, account, position);
  }

  /** The latest event of a topic (sequence = revision), or the one at `sequence`. */
  event(account: Address, topic: string, sequence?: number): Event | undefined {
    const container = this.eventAccount(account);
    return container === undefined ? undefined : this.versioned(Event, this.entrySlot(container, topic), sequence);
  }

  latestEvent(slot: Slot): Event | undefined {
    return this.versioned(Event, slot);
  }

  putEvent(container: ContainerAccount<unknown>, slot: Slot, event: Event, position: number): void {
    if (event.sequence === 0n) this.access.addListItem(DATASET.events, container.slot.key, position, utf8(event.topic));
    this.access.append(slot, Event.encode(event));
  }

  topicAt(account: Address, position: number): string | undefined {
    return this.nestedListItem(DATASET.eventAccounts, DATASET.events, account, position);
  }

  // ---- lists and totals ----

  count(name: CounterName): number {
    return this.access.counter(name);
  }

  /** The address at `position` of a top-level account list (registration order). */
  addressAt(dataset: DatasetId, position: number): Uint8Array | undefined {
    return this.access.listItem(dataset, new Uint8Array(0), position);
  }

  private adminSlot(logicalKey: Uint8Array): Slot {
    return this.access.slot(DATASET.admin, logicalKey);
  }

  private addressed<T>(dataset: DatasetId, codec: Codec<T>, address: Address): Versioned<T> | undefined {
    const record = this.access.latest(this.access.slot(dataset, address.bytesView()));
    return record === undefined ? undefined : { value: decodeRecord(codec, record.bytes), revision: record.revision };
  }

  private containerAccount<T>(dataset: DatasetId, codec: Codec<T>, address: Address): ContainerAccount<T> | undefined {
    const container = this.access.container(this.access.slot(dataset, address.bytesView()));
    return container === undefined ? undefined : { ...container, account: decodeRecord(codec, container.header) };
  }

  private listAddress(dataset: DatasetId, counter: CounterName, address: Address): void {
    const position = this.access.counter(counter);
    this.access.addListItem(dataset, new Uint8Array(0), position, address.toBytes());
    this.access.setCounter(counter, position + 1);
  }

  private versioned<T>(codec: Codec<T>, slot: Slot, version?: number): T | undefined {
    const record = version === undefined ? this.access.latest(slot) : this.access.atRevision(slot, version);
    return record === undefined ? undefined : decodeRecord(codec, record.bytes);
  }

  private nestedListItem(container: DatasetId, dataset: DatasetId, account: Address, position: number): string | undefined {
    const item = this.access.listItem(dataset, this.access.slot(container, account.toBytes()).key, position);
    return item === undefined ? undefined : Buffer.from(item).toString('utf8');
  }
}
