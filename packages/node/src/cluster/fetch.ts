import { digestKey } from '@jadechain/consensus';
import { cryptoSuite, type HashAlgorithm, type HashDigest, type PubKey } from '@jadechain/crypto';
import { TransportError } from '@jadechain/p2p';
import { decodeTransactionRequest, transactionHashOfContentBytes } from '@jadechain/types';
import type { Logger } from '@jadechain/service';
import type { Admission } from '../mempool/index.js';
import type { PeerLinks } from './links.js';
import type { ClusterMetrics } from './metrics.js';
import { MAX_FETCH_HASHES, PEER_CHANNEL, PeerTransactionsRequest, PeerTransactionsResponse } from './protocol.js';

/** How long one fetch request may take before the next peer is asked. */
export const FETCH_TIMEOUT_MS = 2_000;

export interface TransactionFetcherOptions {
  readonly ledgerHash: HashDigest;
  readonly links: PeerLinks;
  readonly metrics: ClusterMetrics;
  readonly logger: Logger;
  /** The peers to ask, best first (the validators other than this one). */
  readonly sources: () => readonly PubKey[];
  /** The hash algorithm transactions are identified with now. */
  readonly hashAlgorithm: () => HashAlgorithm;
  /** Admits a fetched transaction through the mempool, verified like any other. */
  readonly admit: (bytes: Uint8Array) => Promise<Admission>;
}

/**
 * Obtains the transactions a proposal names that this peer's mempool lacks (it was down when the
 * gateway submitted them, say): asks the other validators in turn, in requests of at most
 * MAX_FETCH_HASHES, each bounded by FETCH_TIMEOUT_MS, and admits only bodies it asked for. It
 * resolves whatever was found; the engine treats what is still missing as an invalid proposal.
 */
export class TransactionFetcher {
  readonly #options: TransactionFetcherOptions;

  constructor(options: TransactionFetcherOptions) {
    this.#options = options;
  }

  async fetch(hashes: readonly HashDigest[]): Promise<void> {
    const missing = new Map(hashes.map((hash) => [digestKey(hash), hash] as const));
    this.#options.metrics.fetchRequested += missing.size;
    for (const source of this.#options.sources()) {
      if (missing.size === 0) return;
      if (!this.#options.links.isConnected(source)) continue;
      for (const chunk of chunks([...missing.values()], MAX_FETCH_HASHES)) await this.#ask(source, chunk, missing);
    }
    if (missing.size > 0) this.#options.logger.warn('transactions not found at any peer', { ledger: this.#options.ledgerHash.toBase58(), missing: missing.size });
  }

  /** Fetches from `source` alone: the validator that named these transactions in a proposer hint. */
  async fetchFrom(source: PubKey, hashes: readonly HashDigest[]): Promise<void> {
    const missing = new Map(hashes.map((hash) => [digestKey(hash), hash] as const));
    this.#options.metrics.fetchRequested += missing.size;
    if (!this.#options.links.isConnected(source)) return;
    for (const chunk of chunks([...missing.values()], MAX_FETCH_HASHES)) await this.#ask(source, chunk, missing);
  }

  /**
   * Asks `source` for `hashes`; an answer carries at most MAX_ANSWER_BYTES of bodies (serve.ts),
   * so while answers bring something new, asks again for what is still missing.
   */
  async #ask(source: PubKey, hashes: readonly HashDigest[], missing: Map<string, HashDigest>): Promise<void> {
    const { links, metrics, ledgerHash } = this.#options;
    for (let asking = hashes; asking.length > 0; asking = asking.filter((hash) => missing.has(digestKey(hash)))) {
      let response: PeerTransactionsResponse;
      try {
        const body = await links.request(source, PEER_CHANNEL.TRANSACTIONS, PeerTransactionsRequest.encode({ ledgerHash, transactionHashes: asking }), FETCH_TIMEOUT_MS);
        response = PeerTransactionsResponse.decode(body);
      } catch (error) {
        metrics.fetchFailures.add(error instanceof TransportError ? error.code : 'MALFORMED');
        return;
      }
      const before = missing.size;
      await Promise.all(response.transactions.map((bytes) => this.#admit(bytes, missing)));
      if (missing.size === before) return;
    }
  }

  async #admit(bytes: Uint8Array, missing: Map<string, HashDigest>): Promise<void> {
    const { metrics } = this.#options;
    let key: string;
    try {
      key = digestKey(transactionHashOfContentBytes(cryptoSuite, this.#options.hashAlgorithm(), decodeTransactionRequest(bytes).contentBytes));
    } catch {
      metrics.fetchFailures.add('MALFORMED');
      return;
    }
    // Only what was asked for: a peer cannot push other transactions into this pool this way.
    if (!missing.has(key)) {
      metrics.fetchFailures.add('UNASKED');
      return;
    }
    const admission = await this.#options.admit(bytes);
    if (admission.admitted || admission.code === 'DUPLICATE') {
      missing.delete(key);
      if (admission.admitted) metrics.fetchAdmitted += 1;
    } else {
      metrics.fetchFailures.add(admission.code);
    }
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}
