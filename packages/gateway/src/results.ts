import { HashDigest } from '@jadechain/crypto';
import type { ResultNotice, TransactionOutcome } from '@jadechain/node/shared';
import { TransactionState } from '@jadechain/types';
import { GatewayError } from './errors.js';

/** How a submission ended, as far as the gateway learns. */
export type Settled =
  | { readonly kind: 'committed'; readonly outcome: TransactionOutcome }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string };

function keyOf(hash: HashDigest): string {
  return Buffer.from(hash.toBytes()).toString('latin1');
}

/**
 * Submissions waiting for their outcome, by transaction hash. A wait is registered before its
 * batch leaves, because the peer may commit (and notify) before its acknowledgement arrives.
 * Several requests may wait for one hash (a client retrying); all learn the same outcome.
 */
export class ResultWaits {
  readonly #waiting = new Map<string, Array<(settled: Settled) => void>>();

  get size(): number {
    return this.#waiting.size;
  }

  /** Resolves with the outcome, or with undefined once `timeoutMs` has passed. */
  wait(hash: HashDigest, timeoutMs: number): { readonly settled: Promise<Settled | undefined>; cancel(): void } {
    const key = keyOf(hash);
    let list = this.#waiting.get(key);
    if (list === undefined) this.#waiting.set(key, (list = []));
    let done: (settled: Settled | undefined) => void = () => undefined;
    const settled = new Promise<Settled | undefined>((resolve) => (done = resolve));
    const timer = setTimeout(() => cancel(), timeoutMs);
    const entry = (value: Settled): void => {
      clearTimeout(timer);
      done(value);
    };
    const cancel = (): void => {
      clearTimeout(timer);
      const current = this.#waiting.get(key);
      const index = current?.indexOf(entry) ?? -1;
      if (current !== undefined && index >= 0) current.splice(index, 1);
      if (current?.length === 0) this.#waiting.delete(key);
      done(undefined);
    };
    list.push(entry);
    return { settled, cancel };
  }

  settle(hash: HashDigest, settled: Settled): void {
    const key = keyOf(hash);
    const list = this.#waiting.get(key);
    if (list === undefined) return;
    this.#waiting.delete(key);
    for (const entry of list) entry(settled);
  }

  /** A RESULT notice from a peer. */
  notice(notice: ResultNotice): void {
    for (const outcome of notice.outcomes) this.settle(outcome.transactionHash, { kind: 'committed', outcome });
    for (const dropped of notice.dropped) this.settle(dropped.transactionHash, { kind: 'refused', code: dropped.code, message: dropped.message });
  }
}

/** A GET through a peer's QUERY channel (the JD Chain envelope as text). */
export type RecordQuery = (path: string) => Promise<{ readonly status: number; readonly body: string }>;

/**
 * Looks a transaction up once on a peer, for a wait that ended without a RESULT notice: the
 * notice may have been lost with a dropped connection while the transaction committed. Undefined
 * when it is not recorded (yet), or when no peer could say.
 */
export async function recordedOutcome(query: RecordQuery, ledgerHash: HashDigest, hash: HashDigest): Promise<TransactionOutcome | undefined> {
  const result = await envelopeData<{ result?: { blockHeight?: unknown; executionState?: unknown } }>(query, `/ledgers/${ledgerHash.toBase58()}/txs/hash/${hash.toBase58()}`);
  const { blockHeight, executionState } = result?.result ?? {};
  if (typeof blockHeight !== 'number' || typeof executionState !== 'string' || !(executionState in TransactionState)) return undefined;
  const block = await envelopeData<{ hash?: unknown }>(query, `/ledgers/${ledgerHash.toBase58()}/blocks/height/${blockHeight}`);
  if (typeof block?.hash !== 'string') return undefined;
  let blockHash: HashDigest;
  try {
    blockHash = HashDigest.fromBase58(block.hash);
  } catch {
    return undefined;
  }
  return { transactionHash: hash, blockHeight: BigInt(blockHeight), blockHash, state: executionState as TransactionState };
}

/** The `data` of a successful JD Chain envelope; undefined when the query failed or no peer could say. */
async function envelopeData<T>(query: RecordQuery, path: string): Promise<T | undefined> {
  let envelope: { success?: boolean; data?: T };
  try {
    envelope = JSON.parse((await query(path)).body) as typeof envelope;
  } catch (error) {
    if (error instanceof GatewayError || error instanceof SyntaxError) return undefined;
    throw error;
  }
  return envelope.success === true ? envelope.data : undefined;
}
