import { HashDigest } from '@jadechain/crypto';
import type { Address } from '@jadechain/crypto';
import { TransactionRequest } from '@jadechain/types';
import { API_ERROR_CODES, ApiError, SdkError, SubmitTimeoutError } from './errors.js';
import { exchange, isObject, queryString, unwrap, type HttpOptions, type Json, type QueryParams } from './http.js';
import type { KvProofResponse } from './proof.js';
import { EventsClient } from './events-client.js';
import type { EventsClientOptions } from './events.js';
import type {
  AccountSummary,
  BlockJson,
  ContractJson,
  DataAccountJson,
  EventAccountJson,
  EventJson,
  JsonRecord,
  KvEntryJson,
  LedgerInfo,
  LedgerTransactionJson,
  ParticipantJson,
  RolePrivilegesJson,
  UserJson,
  UserPrivilegesJson,
} from './responses.js';

/** How a committed (or recorded) transaction ended. */
export interface SubmitResult {
  readonly transactionHash: string;
  readonly blockHeight: number;
  /** `SUCCESS` or the TransactionState that rejected it, e.g. `DATA_VERSION_CONFLICT`. */
  readonly state: string;
  /** The gateway's whole answer, for operation results and anything else it reports. */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface GatewayClientOptions {
  /** Abort a request after this many milliseconds (default 120 000: submission waits for commit). */
  readonly requestTimeoutMs?: number;
  /** Another fetch, e.g. one with a proxy agent; by default the global one. */
  readonly fetch?: typeof fetch;
}

export interface SubmitAndWaitOptions {
  /** Give up (SubmitTimeoutError) this many milliseconds after submitting; default 60 000. */
  readonly timeoutMs?: number;
  /** Pause between asks for the transaction after the gateway answered TIMEOUT; default 250. */
  readonly pollIntervalMs?: number;
}

/** A page of a list: `fromIndex` (default 0) and `count` (default and maximum 100). */
export type Page = {
  readonly fromIndex?: number;
  readonly count?: number;
};

/** A range of events: from `fromSequence` on, `count` of them. */
export type EventRange = {
  readonly fromSequence?: number;
  readonly count?: number;
};

/** A block by height (a number) or by hash. */
export type BlockRef = number | bigint | HashDigest | string;
export type HashRef = HashDigest | string;
export type AddressRef = Address | string;

/** What `count` counts, under JD Chain's path names. */
export type CountedKind = 'transactions' | 'users' | 'dataAccounts' | 'contracts';

const COUNTED_SEGMENT: Readonly<Record<CountedKind, string>> = { transactions: 'txs', users: 'users', dataAccounts: 'accounts', contracts: 'contracts' };
const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
const DEFAULT_WAIT_MS = 60_000;
const DEFAULT_POLL_MS = 250;

function text(value: { toBase58(): string } | string): string {
  return typeof value === 'string' ? value : value.toBase58();
}

function blockSegment(block: BlockRef): string {
  return typeof block === 'number' || typeof block === 'bigint' ? `height/${block}` : `hash/${text(block)}`;
}

const segment = encodeURIComponent;

/**
 * A client of one gateway: every path of JD Chain's JSON query API as a typed method (the
 * envelope unwrapped into data, or thrown as an ApiError), transaction submission with waiting,
 * and KV proofs to check offline with `verifyKvProof`. Works in Node ≥ 20 and in browsers.
 */
export class GatewayClient {
  readonly baseUrl: string;
  private readonly http: HttpOptions;

  constructor(baseUrl: string, options: GatewayClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.http = { requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, fetch: options.fetch ?? globalThis.fetch.bind(globalThis) };
  }

  /** Push events of one ledger over this gateway's WebSocket, resumable (see EventsClient). */
  eventStream(ledger: HashRef, options: EventsClientOptions = {}): EventsClient {
    return new EventsClient(this.baseUrl, text(ledger), options);
  }

  // Ledgers and administration.

  /** The hashes of the ledgers the gateway serves. */
  async ledgers(): Promise<HashDigest[]> {
    const data = await this.query('/ledgers');
    if (!Array.isArray(data)) throw new SdkError('BAD_RESPONSE', 'GET /ledgers did not answer a list');
    return data.map((hash) => HashDigest.fromBase58(String(hash)));
  }
  ledgerCount(): Promise<number> {
    return this.get('/ledgers/count');
  }
  ledger(ledger: HashRef): Promise<LedgerInfo> {
    return this.get(`/ledgers/${text(ledger)}`);
  }
  metadata(ledger: HashRef): Promise<JsonRecord> {
    return this.get(`/ledgers/${text(ledger)}/metadata`);
  }
  settings(ledger: HashRef): Promise<JsonRecord> {
    return this.get(`/ledgers/${text(ledger)}/settings`);
  }
  cryptoSettings(ledger: HashRef): Promise<JsonRecord> {
    return this.get(`/ledgers/${text(ledger)}/settings/crypto`);
  }
  adminInfo(ledger: HashRef): Promise<JsonRecord> {
    return this.get(`/ledgers/${text(ledger)}/admininfo`);
  }
  participants(ledger: HashRef): Promise<ParticipantJson[]> {
    return this.get(`/ledgers/${text(ledger)}/participants`);
  }
  participantCount(ledger: HashRef): Promise<number> {
    return this.get(`/ledgers/${text(ledger)}/participants/count`);
  }

  // Blocks and transactions.

  latestBlock(ledger: HashRef): Promise<BlockJson> {
    return this.get(`/ledgers/${text(ledger)}/blocks/latest`);
  }
  block(ledger: HashRef, block: BlockRef): Promise<BlockJson> {
    return this.get(`/ledgers/${text(ledger)}/blocks/${blockSegment(block)}`);
  }
  /** The latest `numOfBlocks` blocks newest first, then the genesis block. */
  blocks(ledger: HashRef, numOfBlocks: number): Promise<BlockJson[]> {
    return this.get(`/ledgers/${text(ledger)}/blocks`, { numOfBlocks });
  }
  /**
   * How many transactions, users, data accounts or contracts exist (up to and including `block`,
   * by default the latest), or with `added` how many that block added.
   */
  count(ledger: HashRef, kind: CountedKind, options: { readonly block?: BlockRef; readonly added?: boolean } = {}): Promise<number> {
    const what = `${COUNTED_SEGMENT[kind]}/${options.added === true ? 'additional-count' : 'count'}`;
    return this.get(`/ledgers/${text(ledger)}/${options.block === undefined ? '' : `blocks/${blockSegment(options.block)}/`}${what}`);
  }
  /** Transactions of blocks 0 … `block`, numbered across blocks. */
  transactions(ledger: HashRef, block: BlockRef, page: Page = {}): Promise<LedgerTransactionJson[]> {
    return this.get(`/ledgers/${text(ledger)}/blocks/${blockSegment(block)}/txs`, page);
  }
  /** The block's own transactions. */
  blockTransactions(ledger: HashRef, block: BlockRef, page: Page = {}): Promise<LedgerTransactionJson[]> {
    return this.get(`/ledgers/${text(ledger)}/blocks/${blockSegment(block)}/txs/additional-txs`, page);
  }
  /** A recorded transaction with its result; ApiError TRANSACTION_NOT_FOUND (1003) while it is not committed. */
  transaction(ledger: HashRef, transactionHash: HashRef): Promise<LedgerTransactionJson> {
    return this.get(`/ledgers/${text(ledger)}/txs/hash/${text(transactionHash)}`);
  }
  /** `SUCCESS` or the state that rejected the transaction. */
  transactionState(ledger: HashRef, transactionHash: HashRef): Promise<string> {
    return this.get(`/ledgers/${text(ledger)}/txs/state/${text(transactionHash)}`);
  }

  // Users, roles and privileges.

  users(ledger: HashRef, page: Page = {}): Promise<AccountSummary[]> {
    return this.get(`/ledgers/${text(ledger)}/users`, page);
  }
  user(ledger: HashRef, address: AddressRef): Promise<UserJson> {
    return this.get(`/ledgers/${text(ledger)}/users/address/${text(address)}`);
  }
  role(ledger: HashRef, roleName: string): Promise<RolePrivilegesJson> {
    return this.get(`/ledgers/${text(ledger)}/authorization/role/${segment(roleName)}`);
  }
  userPrivileges(ledger: HashRef, address: AddressRef): Promise<UserPrivilegesJson> {
    return this.get(`/ledgers/${text(ledger)}/authorization/user/${text(address)}`);
  }

  // Data accounts and KV entries.

  dataAccounts(ledger: HashRef, page: Page = {}): Promise<AccountSummary[]> {
    return this.get(`/ledgers/${text(ledger)}/accounts`, page);
  }
  dataAccount(ledger: HashRef, address: AddressRef): Promise<DataAccountJson> {
    return this.get(`/ledgers/${text(ledger)}/accounts/address/${text(address)}`);
  }
  kvEntryCount(ledger: HashRef, account: AddressRef): Promise<number> {
    return this.get(`/ledgers/${text(ledger)}/accounts/address/${text(account)}/entries/count`);
  }
  /** The account's entries at their latest versions, keys in first-write order. */
  kvEntries(ledger: HashRef, account: AddressRef, page: Page = {}): Promise<KvEntryJson[]> {
    return this.get(`/ledgers/${text(ledger)}/accounts/address/${text(account)}/entries`, page);
  }
  /** The latest entries of these keys (at most 100); a missing key is `{version: -1, type: 'NIL'}`. */
  kvValues(ledger: HashRef, account: AddressRef, keys: readonly string[]): Promise<KvEntryJson[]> {
    return this.post(`/ledgers/${text(ledger)}/accounts/${text(account)}/entries`, { keys: [...keys] });
  }
  /** Chosen versions of keys, one entry per version asked (at most 100). */
  kvVersions(ledger: HashRef, account: AddressRef, versions: ReadonlyArray<{ readonly key: string; readonly versions: readonly number[] }>): Promise<KvEntryJson[]> {
    const data = versions.map(({ key, versions: asked }) => ({ key, version: [...asked] }));
    return this.post(`/ledgers/${text(ledger)}/accounts/${text(account)}/entries-version`, { data });
  }
  /**
   * A KV entry's (or its absence's) Merkle proof with the block header and commit certificate it
   * rests on, as of `height` (default the latest block). Check it with `verifyKvProof` before
   * believing it.
   */
  getKvProof(ledger: HashRef, account: AddressRef, key: string, options: { readonly height?: number | bigint } = {}): Promise<KvProofResponse> {
    return this.get(`/ledgers/${text(ledger)}/proofs/kv`, { account: text(account), key, height: options.height });
  }

  // Contracts.

  contracts(ledger: HashRef, page: Page = {}): Promise<AccountSummary[]> {
    return this.get(`/ledgers/${text(ledger)}/contracts`, page);
  }
  /** The contract (its latest version unless `version`); `compiled` gives the code in base64. */
  contract(ledger: HashRef, address: AddressRef, options: { readonly version?: number; readonly compiled?: boolean } = {}): Promise<ContractJson> {
    const version = options.version === undefined ? '' : `/version/${options.version}`;
    return this.get(`/ledgers/${text(ledger)}/contracts/address/${text(address)}${version}${options.compiled === true ? '/compiled' : ''}`);
  }

  // Events.

  systemEventNames(ledger: HashRef, page: Page = {}): Promise<string[]> {
    return this.get(`/ledgers/${text(ledger)}/events/system/names`, page);
  }
  systemEvents(ledger: HashRef, name: string, range: EventRange = {}): Promise<EventJson[]> {
    return this.get(`/ledgers/${text(ledger)}/events/system/names/${segment(name)}`, range);
  }
  latestSystemEvent(ledger: HashRef, name: string): Promise<EventJson | null> {
    return this.get(`/ledgers/${text(ledger)}/events/system/names/${segment(name)}/latest`);
  }
  systemEventCount(ledger: HashRef, name: string): Promise<number> {
    return this.get(`/ledgers/${text(ledger)}/events/system/names/${segment(name)}/count`);
  }
  eventAccounts(ledger: HashRef, page: Page = {}): Promise<AccountSummary[]> {
    return this.get(`/ledgers/${text(ledger)}/events/user/accounts`, page);
  }
  eventAccount(ledger: HashRef, address: AddressRef): Promise<EventAccountJson> {
    return this.get(`/ledgers/${text(ledger)}/events/user/accounts/${text(address)}`);
  }
  /** The account's topics in first-publish order. */
  eventTopics(ledger: HashRef, address: AddressRef, page: Page = {}): Promise<string[]> {
    return this.get(`/ledgers/${text(ledger)}/events/user/accounts/${text(address)}/names`, page);
  }
  events(ledger: HashRef, address: AddressRef, topic: string, range: EventRange = {}): Promise<EventJson[]> {
    return this.get(`/ledgers/${text(ledger)}/events/user/accounts/${text(address)}/names/${segment(topic)}`, range);
  }
  /** The topic's latest event, null for a topic never published. */
  latestEvent(ledger: HashRef, address: AddressRef, topic: string): Promise<EventJson | null> {
    return this.get(`/ledgers/${text(ledger)}/events/user/accounts/${text(address)}/names/${segment(topic)}/latest`);
  }
  eventCount(ledger: HashRef, address: AddressRef, topic: string): Promise<number> {
    return this.get(`/ledgers/${text(ledger)}/events/user/accounts/${text(address)}/names/${segment(topic)}/count`);
  }

  // Submission.

  /**
   * Submits a signed transaction and waits for its result: committed (whatever its state), or
   * already recorded when the same transaction was submitted before. SubmitTimeoutError when the
   * gateway stopped waiting; ApiError when it refused the request.
   */
  async submit(request: TransactionRequest): Promise<SubmitResult> {
    const ledger = request.content.ledgerHash.toBase58();
    const { status, envelope } = await exchange(this.baseUrl, this.http, 'POST', `/ledgers/${ledger}/txs`, TransactionRequest.toJsonText(request));
    const data = isObject(envelope['data']) ? envelope['data'] : undefined;
    // The gateway answers 202 (with the hash) when it stopped waiting for the commit.
    if (status === 202) {
      const hash = data?.['transactionHash'];
      throw new SubmitTimeoutError(typeof hash === 'string' ? hash : 'unknown');
    }
    return submitResult(unwrap(status, envelope));
  }

  /**
   * `submit`, and when the gateway answers TIMEOUT, asks for the transaction by its hash until it
   * is recorded or `timeoutMs` passed (then SubmitTimeoutError: it may still commit later).
   */
  async submitAndWait(request: TransactionRequest, options: SubmitAndWaitOptions = {}): Promise<SubmitResult> {
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_WAIT_MS);
    let pending: SubmitTimeoutError;
    try {
      return await this.submit(request);
    } catch (error) {
      if (!(error instanceof SubmitTimeoutError) || error.transactionHash === 'unknown') throw error;
      pending = error;
    }
    const ledger = request.content.ledgerHash;
    while (Date.now() < deadline) {
      try {
        const recorded = await this.transaction(ledger, pending.transactionHash);
        return submitResult(recorded.result);
      } catch (error) {
        if (!(error instanceof ApiError && error.code === API_ERROR_CODES.TRANSACTION_NOT_FOUND)) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollIntervalMs ?? DEFAULT_POLL_MS, Math.max(0, deadline - Date.now()))));
    }
    throw new SubmitTimeoutError(pending.transactionHash, `transaction ${pending.transactionHash} was not recorded within ${options.timeoutMs ?? DEFAULT_WAIT_MS} ms; it may still commit`);
  }

  /**
   * Any query path (e.g. `/ledgers/{ledger}/blocks/latest`), answering its `data`: GET, or POST
   * with a JSON body for the paths that take one.
   */
  async query(path: string, params: QueryParams = {}, body?: unknown): Promise<unknown> {
    const target = `${path}${queryString(params)}`;
    const { status, envelope } =
      body === undefined ? await exchange(this.baseUrl, this.http, 'GET', target) : await exchange(this.baseUrl, this.http, 'POST', target, JSON.stringify(body));
    return unwrap(status, envelope);
  }

  private async get<T>(path: string, params: QueryParams = {}): Promise<T> {
    return (await this.query(path, params)) as T;
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    return (await this.query(path, {}, body)) as T;
  }
}

function submitResult(data: unknown): SubmitResult {
  if (!isObject(data)) throw new SdkError('BAD_RESPONSE', 'the submission answer carries no result');
  const hash = data['transactionHash'];
  const state = data['state'] ?? data['executionState'];
  const height = Number(data['blockHeight']);
  if (typeof hash !== 'string' || typeof state !== 'string' || !Number.isSafeInteger(height)) {
    throw new SdkError('BAD_RESPONSE', `the submission answer lacks transactionHash, state or blockHeight: ${JSON.stringify(data).slice(0, 200)}`);
  }
  return { transactionHash: hash, blockHeight: height, state, raw: data as Json };
}
