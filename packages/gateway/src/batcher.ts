import type { HashDigest, PrivKey } from '@jadechain/crypto';
import { CHANNEL, MAX_SUBMIT_BATCH_BYTES, SubmitAck, SubmitBatch, decodeMessage, signSubmitBatch } from '@jadechain/service';
import { GatewayError } from './errors.js';
import type { PeerLinks } from './peer-links.js';
import type { BatchSink } from './results.js';

interface Queued {
  readonly bytes: Uint8Array;
  readonly sink: BatchSink;
}

interface Forming {
  readonly ledgerHash: HashDigest;
  readonly items: Queued[];
  /** The sum of the items' transaction bytes. */
  bytes: number;
  readonly timer: NodeJS.Timeout;
}

/** What the batcher needs of the peer links (a narrow port, so tests can watch what is sent). */
export type BatchLinks = Pick<PeerLinks, 'connected' | 'requestTo'>;

/**
 * Micro-batching: a ledger's batches leave at most once every `windowMs`; what arrives in
 * between waits for the next one (cut earlier at `maxTransactions`, or when the next transaction
 * would take the batch past `maxBytes`, so that every batch fits one transport frame). A
 * transaction after a quiet spell leaves at once, with whatever arrived in the same turn of the
 * event loop: light load pays no window, heavy load gets batches of a window's transactions. Each
 * batch travels under ONE co-signature of the gateway (spec/node-protocol.md §3), so each peer
 * verifies one gateway signature, and reads one frame, per batch. The same signed batch goes to
 * every connected peer at once; each peer's verdicts reach each transaction's sink as they come.
 */
export class Batcher {
  readonly #forming = new Map<string, Forming>();
  /** When each ledger's last batch left (performance.now()). */
  readonly #lastFlushMs = new Map<string, number>();

  constructor(
    private readonly links: BatchLinks,
    private readonly privateKey: PrivKey,
    private readonly windowMs: number,
    private readonly maxTransactions: number,
    private readonly maxBytes: number = MAX_SUBMIT_BATCH_BYTES,
  ) {}

  /** Queues one co-signed transaction; the caller has refused any larger than `maxBytes`. */
  enqueue(ledgerHash: HashDigest, bytes: Uint8Array, sink: BatchSink): void {
    if (bytes.length > this.maxBytes) throw new GatewayError('INTERNAL_ERROR', `a transaction of ${bytes.length} bytes reached the batcher, whose limit is ${this.maxBytes}`);
    const key = ledgerHash.toBase58();
    let forming = this.#forming.get(key);
    if (forming !== undefined && forming.bytes + bytes.length > this.maxBytes) {
      this.#flush(key);
      forming = undefined;
    }
    if (forming === undefined) {
      const wait = Math.max(0, (this.#lastFlushMs.get(key) ?? -Infinity) + this.windowMs - performance.now());
      forming = { ledgerHash, items: [], bytes: 0, timer: setTimeout(() => this.#flush(key), wait) };
      this.#forming.set(key, forming);
    }
    forming.items.push({ bytes, sink });
    forming.bytes += bytes.length;
    if (forming.items.length >= this.maxTransactions) this.#flush(key);
  }

  /** Sends whatever is forming now (used when closing). */
  flushAll(): void {
    for (const key of [...this.#forming.keys()]) this.#flush(key);
  }

  #flush(key: string): void {
    const forming = this.#forming.get(key);
    if (forming === undefined) return;
    this.#forming.delete(key);
    this.#lastFlushMs.set(key, performance.now());
    clearTimeout(forming.timer);
    const { items } = forming;
    const batch = SubmitBatch.encode(signSubmitBatch({ ledgerHash: forming.ledgerHash, transactions: items.map((item) => item.bytes) }, this.privateKey));
    const peers = this.links.connected();
    for (const item of items) item.sink.sent(peers);
    for (const peer of peers) {
      this.#send(peer, batch, items.length).then(
        (verdicts) => items.forEach((item, index) => item.sink.answered(peer, verdicts[index] as SubmitAck['verdicts'][number])),
        (error: unknown) => {
          const failure = error instanceof GatewayError ? error : new GatewayError('INTERNAL_ERROR', `peer ${peer} answered the batch wrongly: ${(error as Error).message}`);
          for (const item of items) item.sink.answered(peer, failure);
        },
      );
    }
  }

  async #send(peer: string, batch: Uint8Array, count: number): Promise<SubmitAck['verdicts']> {
    const answer = await this.links.requestTo(peer, CHANNEL.SUBMIT, batch);
    const { verdicts } = decodeMessage(SubmitAck, answer, 'SUBMIT_ACK');
    if (verdicts.length !== count) throw new GatewayError('INTERNAL_ERROR', `peer ${peer} answered ${verdicts.length} verdicts for ${count} transactions`);
    return verdicts;
  }
}
