import { Address } from '@jadechain/crypto';
import type { ContractAccount, Event, KvEntry } from '@jadechain/types';
import type { LedgerView } from '../exec/view.js';
import { DATASET } from '../state/layout.js';
import type { DatasetId } from '../state/layout.js';
import type { CounterName } from '../state/records.js';
import { pageSize } from './blocks.js';

/** Paged lists of a view's accounts and entries (registration order, at most MAX_PAGE each). */

export type AccountKind = 'users' | 'dataAccounts' | 'eventAccounts' | 'contracts';

/** The dataset (and list) of each kind of account. */
export const DATASET_OF_KIND: Readonly<Record<AccountKind, DatasetId>> = {
  users: DATASET.users,
  dataAccounts: DATASET.dataAccounts,
  eventAccounts: DATASET.eventAccounts,
  contracts: DATASET.contracts,
};

export function accountCount(view: LedgerView, kind: AccountKind): number {
  return view.state().count(kind satisfies CounterName);
}

export function accountAddresses(view: LedgerView, kind: AccountKind, from = 0, count?: number): Address[] {
  const state = view.state();
  const total = state.count(kind);
  const out: Address[] = [];
  for (const position of positions(from, count, total)) {
    const bytes = state.addressAt(DATASET_OF_KIND[kind], position);
    if (bytes !== undefined) out.push(Address.fromBytes(bytes));
  }
  return out;
}

/** The latest version of each key of a data account, in the order the keys were first written. */
export function kvEntries(view: LedgerView, account: Address, from = 0, count?: number): KvEntry[] {
  const state = view.state();
  const found = state.dataAccount(account);
  if (found === undefined) return [];
  const out: KvEntry[] = [];
  for (const position of positions(from, count, found.entryCount)) {
    const key = state.kvKeyAt(account, position);
    const entry = key === undefined ? undefined : state.latestKvEntry(state.entrySlot(found, key));
    if (entry !== undefined) out.push(entry);
  }
  return out;
}

export function eventTopics(view: LedgerView, account: Address, from = 0, count?: number): string[] {
  const state = view.state();
  const found = state.eventAccount(account);
  if (found === undefined) return [];
  const out: string[] = [];
  for (const position of positions(from, count, found.entryCount)) {
    const topic = state.topicAt(account, position);
    if (topic !== undefined) out.push(topic);
  }
  return out;
}

/** Events of a topic from `fromSequence` on, oldest first. */
export function events(view: LedgerView, account: Address, topic: string, fromSequence = 0, count?: number): Event[] {
  const state = view.state();
  const latest = state.event(account, topic);
  if (latest === undefined) return [];
  const out: Event[] = [];
  for (const sequence of positions(fromSequence, count, Number(latest.sequence) + 1)) {
    const event = state.event(account, topic, sequence);
    if (event !== undefined) out.push(event);
  }
  return out;
}

/** A contract as it was at one code version (every deployment stays readable). */
export function contractAtVersion(view: LedgerView, address: Address, version: bigint): ContractAccount | undefined {
  const state = view.state();
  const latest = state.contract(address);
  if (latest === undefined) return undefined;
  for (let revision = latest.revision; revision >= 0; revision--) {
    const contract = state.contractAtRevision(address, revision);
    if (contract !== undefined && contract.version === version) return contract;
    if (contract !== undefined && contract.version < version) return undefined;
  }
  return undefined;
}

function positions(from: number, count: number | undefined, total: number): number[] {
  const start = Math.max(0, Math.floor(from));
  const end = Math.min(total, start + pageSize(count ?? 0));
  const out: number[] = [];
  for (let position = start; position < end; position++) out.push(position);
  return out;
}
