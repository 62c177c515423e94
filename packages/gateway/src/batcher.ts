import type { HashDigest, PrivKey } from '@jadechain/crypto';
import { CHANNEL, SubmitAck, SubmitBatch, decodeMessage, signSubmitBatch, type SubmitVerdict } from '@jadechain/node/shared';
import { GatewayError } from './errors.js';
import type { PeerLinks } from './peer-links.js';

interface Queued {
  readonly bytes: Uint8Array;
  readonly resolve: (verdict: SubmitVerdict) => void;
  readonly reject: (error: unknown) => void;
}

interface Forming {
  readonly ledgerHash: HashDigest;
  readonly items: Queued[];
  readonly timer: NodeJS.Timeout;
}

/**
 * Micro-batching: transactions for one ledger that arrive within `windowMs` of the first (or
 * until `maxTransactions`) leave together, under ONE co-signature of the gateway over the whole
 * batch (spec/node-protocol.md §3), so the peer verifies one gateway signature per batch.
 */
export class Batcher {
  readonly #forming = new Map<string, Forming>();

  constructor(
    private readonly links: PeerLinks,
    private readonly privateKey: PrivKey,
    private readonly windowMs: number,
    private readonly maxTransactions: number,
  ) {}

  /** Resolves with the peer's verdict on this transaction; rejects with a GatewayError when the batch failed as a whole. */
  enqueue(ledgerHash: HashDigest, bytes: Uint8Array): Promise<SubmitVerdict> {
    const key = ledgerHash.toBase58();
    return new Promise((resolve, reject) => {
      let forming = this.#forming.get(key);
      if (forming === undefined) {
        forming = { ledgerHash, items: [], timer: setTimeout(() => this.#flush(key), this.windowMs) };
        this.#forming.set(key, forming);
      }
      forming.items.push({ bytes, resolve, reject });
      if (forming.items.length >= this.maxTransactions) this.#flush(key);
    });
  }

  /** Sends whatever is forming now (used when closing). */
  flushAll(): void {
    for (const key of [...this.#forming.keys()]) this.#flush(key);
  }

  #flush(key: string): void {
    const forming = this.#forming.get(key);
    if (forming === undefined) return;
    this.#forming.delete(key);
    clearTimeout(forming.timer);
    const { items } = forming;
    this.#send(forming.ledgerHash, items).then(
      (verdicts) => items.forEach((item, index) => item.resolve(verdicts[index] as SubmitVerdict)),
      (error: unknown) => items.forEach((item) => item.reject(error)),
    );
  }

  async #send(ledgerHash: HashDigest, items: readonly Queued[]): Promise<readonly SubmitVerdict[]> {
    const batch = signSubmitBatch({ ledgerHash, transactions: items.map((item) => item.bytes) }, this.privateKey);
    const answer = await this.links.request(CHANNEL.SUBMIT, SubmitBatch.encode(batch));
    const { verdicts } = decodeMessage(SubmitAck, answer, 'SUBMIT_ACK');
    if (verdicts.length !== items.length) throw new GatewayError('INTERNAL_ERROR', `the peer answered ${verdicts.length} verdicts for ${items.length} transactions`);
    return verdicts;
  }
}
