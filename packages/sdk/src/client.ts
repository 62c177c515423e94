import { HashDigest } from '@jadechain/crypto';
import { TransactionRequest } from '@jadechain/types';
import { ApiError, SdkError, SubmitTimeoutError } from './errors.js';

/** How a committed (or recorded) transaction ended. */
export interface SubmitResult {
  readonly transactionHash: string;
  readonly blockHeight: number;
  /** `SUCCESS` or the TransactionState that rejected it, e.g. `DATA_VERSION_CONFLICT`. */
  readonly state: string;
  /** The gateway's whole answer, for operation results and anything else it reports. */
  readonly raw: Readonly<Record<string, unknown>>;
}

export type QueryParams = Readonly<Record<string, string | number | bigint>>;

export interface GatewayClientOptions {
  /** Abort a request after this many milliseconds (default 120 000: submission waits for commit). */
  readonly requestTimeoutMs?: number;
  /** Another fetch, e.g. one with a proxy agent; by default the global one. */
  readonly fetch?: typeof fetch;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ledgerText(ledger: HashDigest | string): string {
  return typeof ledger === 'string' ? ledger : ledger.toBase58();
}

/**
 * A client of one gateway: JD Chain's JSON query API (the envelope
 * `{success, data | error{errorCode, errorMessage}}` unwrapped into data or an ApiError) and
 * JSON transaction submission.
 */
export class GatewayClient {
  readonly baseUrl: string;
  private readonly requestTimeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(baseUrl: string, options: GatewayClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The hashes of the ledgers the gateway serves. */
  async ledgers(): Promise<HashDigest[]> {
    const data = await this.query('/ledgers');
    if (!Array.isArray(data)) throw new SdkError('BAD_RESPONSE', 'GET /ledgers did not answer a list');
    return data.map((hash) => HashDigest.fromBase58(String(hash)));
  }

  /** A recorded transaction (JD Chain's LedgerTransaction JSON) by its hash. */
  transaction(ledger: HashDigest | string, transactionHash: HashDigest | string): Promise<unknown> {
    return this.query(`/ledgers/${ledgerText(ledger)}/txs/hash/${ledgerText(transactionHash)}`);
  }

  /**
   * A query path (e.g. `/ledgers/{ledger}/blocks/latest`) and answer its `data`: GET, or POST
   * with a JSON body for the paths that take one (e.g. `entries-version`).
   */
  async query(path: string, params: QueryParams = {}, body?: unknown): Promise<unknown> {
    const search = new URLSearchParams(Object.entries(params).map(([name, value]) => [name, String(value)]));
    const suffix = search.size === 0 ? '' : `?${search.toString()}`;
    const { status, envelope } =
      body === undefined ? await this.request('GET', `${path}${suffix}`) : await this.request('POST', `${path}${suffix}`, JSON.stringify(body));
    return unwrap(status, envelope);
  }

  /**
   * Submits a signed transaction and waits for its result: committed (whatever its state), or
   * already recorded when the same transaction was submitted before. SubmitTimeoutError when the
   * gateway stopped waiting; ApiError when it refused the request.
   */
  async submit(request: TransactionRequest): Promise<SubmitResult> {
    const ledger = request.content.ledgerHash.toBase58();
    const { status, envelope } = await this.request('POST', `/ledgers/${ledger}/txs`, TransactionRequest.toJsonText(request));
    const data = isObject(envelope['data']) ? envelope['data'] : undefined;
    // The gateway answers 202 (with the hash) when it stopped waiting for the commit.
    if (status === 202) {
      const hash = data?.['transactionHash'];
      throw new SubmitTimeoutError(typeof hash === 'string' ? hash : 'unknown');
    }
    return submitResult(unwrap(status, envelope));
  }

  private async request(method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; envelope: Json }> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        signal: AbortSignal.timeout(this.requestTimeoutMs),
        ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      });
    } catch (err) {
      throw new SdkError('UNREACHABLE', `${method} ${this.baseUrl}${path}: ${(err as Error).message}`);
    }
    const text = await response.text();
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      throw new SdkError('BAD_RESPONSE', `${method} ${path}: HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    if (!isObject(envelope) || typeof envelope['success'] !== 'boolean') {
      throw new SdkError('BAD_RESPONSE', `${method} ${path}: HTTP ${response.status} without the {success, data|error} envelope`);
    }
    return { status: response.status, envelope };
  }
}

function unwrap(status: number, envelope: Json): unknown {
  if (envelope['success'] === true) return envelope['data'];
  const error = isObject(envelope['error']) ? envelope['error'] : {};
  const code = error['errorCode'];
  const message = error['errorMessage'];
  throw new ApiError(
    typeof code === 'number' || typeof code === 'string' ? code : 'UNKNOWN',
    typeof message === 'string' ? message : `the gateway refused the request (HTTP ${status})`,
    status,
  );
}

function submitResult(data: unknown): SubmitResult {
  if (!isObject(data)) throw new SdkError('BAD_RESPONSE', 'the submission answer carries no result');
  const hash = data['transactionHash'];
  const state = data['state'] ?? data['executionState'];
  const height = Number(data['blockHeight']);
  if (typeof hash !== 'string' || typeof state !== 'string' || !Number.isSafeInteger(height)) {
    throw new SdkError('BAD_RESPONSE', `the submission answer lacks transactionHash, state or blockHeight: ${JSON.stringify(data).slice(0, 200)}`);
  }
  return { transactionHash: hash, blockHeight: height, state, raw: data };
}
