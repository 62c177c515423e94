import { HashDigest } from '@jadechain/crypto';
import type { Logger, ResultNotice, SubmitVerdict, TransactionOutcome } from '@jadechain/service';
import { TransactionState } from '@jadechain/types';
import { GatewayError } from './errors.js';
import { envelopeData, type QueryAnswer } from './peer-query.js';
import { Tally, describeOutcome, outcomeKey, type Decision, type Disagreement, type FinalityRule, type PeerReport } from './tally.js';

/** Where a batch's verdicts go: which peers it was sent to, then each peer's verdict (or why it has none). */
export interface BatchSink {
  sent(peers: readonly string[]): void;
  answered(peer: string, answer: SubmitVerdict | GatewayError): void;
}

/** A submission waiting for its outcome. `settled` is undefined when the wait ran out first. */
export interface FinalityWait {
  readonly settled: Promise<Exclude<Decision, { kind: 'pending' }> | undefined>;
  readonly tally: Tally;
  readonly sink: BatchSink;
  cancel(): void;
}

interface Entry {
  readonly tally: Tally;
  readonly waiters: Set<(decision: Exclude<Decision, { kind: 'pending' }> | undefined) => void>;
}

/**
 * Decided commits kept to check late reports against (a late report of another block is logged):
 * two generations of up to this many each. Not one map trimmed from its oldest end: a Map keeps
 * deleted entries' slots until it is rebuilt, so asking it for its first key again and again
 * walks over every slot deleted before (it was 1.5 % of a busy gateway's time).
 */
const REMEMBERED_DECISIONS = 2048;

interface Decided {
  readonly peer: string;
  readonly outcome: TransactionOutcome;
}

function keyOf(hash: HashDigest): string {
  return hash.toLatin1();
}

export function reportOf(answer: SubmitVerdict | GatewayError): PeerReport {
  if (answer instanceof GatewayError) return { kind: 'unreachable', error: answer };
  if (answer.status === 'COMMITTED' && answer.outcome !== undefined) return { kind: 'committed', outcome: answer.outcome };
  if (answer.status === 'REFUSED') return { kind: 'refused', code: answer.code, message: answer.message };
  return { kind: 'admitted' };
}

/**
 * Submissions waiting for their outcome, by transaction hash, each with the tally of what every
 * peer said (tally.ts decides). A wait is registered before its batch leaves, because a peer may
 * commit (and notify) before its acknowledgement arrives. Several requests may wait for one hash
 * (a client retrying); all learn the same outcome.
 */
export class FinalityTracker {
  readonly #entries = new Map<string, Entry>();
  #decided = new Map<string, Decided>();
  #decidedBefore = new Map<string, Decided>();
  /** Reports of different blocks for one transaction seen so far (a faulty peer, or worse). */
  disagreements = 0;

  constructor(private readonly logger: Logger) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Waits for the outcome of `hash` under `rule` (the rule of the first waiter stands for later ones). */
  wait(hash: HashDigest, rule: FinalityRule, timeoutMs: number): FinalityWait {
    const key = keyOf(hash);
    const entry = this.#entries.get(key) ?? { tally: new Tally(rule), waiters: new Set() };
    this.#entries.set(key, entry);
    let done: (decision: Exclude<Decision, { kind: 'pending' }> | undefined) => void = () => undefined;
    const settled = new Promise<Exclude<Decision, { kind: 'pending' }> | undefined>((resolve) => (done = resolve));
    const cancel = (): void => {
      clearTimeout(timer);
      entry.waiters.delete(waiter);
      if (entry.waiters.size === 0 && this.#entries.get(key) === entry) this.#entries.delete(key);
      done(undefined);
    };
    const waiter = (decision: Exclude<Decision, { kind: 'pending' }> | undefined): void => {
      clearTimeout(timer);
      done(decision);
    };
    const timer = setTimeout(cancel, timeoutMs);
    entry.waiters.add(waiter);
    const sink: BatchSink = {
      sent: (peers) => this.#update(hash, (tally) => tally.sent(peers)),
      answered: (peer, answer) => this.report(hash, peer, reportOf(answer)),
    };
    return { settled, tally: entry.tally, sink, cancel };
  }

  /** A peer's report on `hash`, from a verdict, a notice or a look-up. */
  report(hash: HashDigest, peer: string, report: PeerReport): void {
    if (!this.#entries.has(keyOf(hash))) {
      if (report.kind === 'committed') this.#checkLate(hash, peer, report.outcome);
      return;
    }
    this.#update(hash, (tally) => {
      const disagreement = tally.report(peer, report);
      if (disagreement !== undefined) this.logDisagreement(hash, disagreement);
    });
  }

  /** A RESULT notice from `peer`. */
  notice(peer: string, notice: ResultNotice): void {
    for (const outcome of notice.outcomes) this.report(outcome.transactionHash, peer, { kind: 'committed', outcome });
    for (const dropped of notice.dropped) this.report(dropped.transactionHash, peer, { kind: 'dropped', code: dropped.code, message: dropped.message });
  }

  logDisagreement(hash: HashDigest, disagreement: Disagreement): void {
    this.disagreements += 1;
    this.logger.error('peers report different blocks for one transaction', {
      transaction: hash.toBase58(),
      peer: disagreement.peer,
      outcome: describeOutcome(disagreement.outcome),
      otherPeer: disagreement.otherPeer,
      otherOutcome: describeOutcome(disagreement.otherOutcome),
    });
  }

  #update(hash: HashDigest, change: (tally: Tally) => void): void {
    const key = keyOf(hash);
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    change(entry.tally);
    const decision = entry.tally.decision();
    if (decision.kind === 'pending') return;
    this.#entries.delete(key);
    if (decision.kind === 'committed') this.#remember(key, entry.tally, decision.outcome);
    for (const waiter of entry.waiters) waiter(decision);
  }

  #remember(key: string, tally: Tally, outcome: TransactionOutcome): void {
    const decidedKey = outcomeKey(outcome);
    let peer = '';
    for (const [reporter, report] of tally.reports) {
      if (report.kind === 'committed' && outcomeKey(report.outcome) === decidedKey) {
        peer = reporter;
        break;
      }
    }
    if (this.#decided.size >= REMEMBERED_DECISIONS) {
      this.#decidedBefore = this.#decided;
      this.#decided = new Map();
    }
    this.#decided.set(key, { peer, outcome });
  }

  #checkLate(hash: HashDigest, peer: string, outcome: TransactionOutcome): void {
    const decided = this.#decided.get(keyOf(hash)) ?? this.#decidedBefore.get(keyOf(hash));
    if (decided !== undefined && outcomeKey(decided.outcome) !== outcomeKey(outcome)) {
      this.logDisagreement(hash, { peer, outcome, otherPeer: decided.peer, otherOutcome: decided.outcome });
    }
  }
}

/**
 * Looks a transaction up on one peer, for a wait that ended without enough RESULT notices: a
 * notice may have been lost with a dropped connection while the transaction committed. Both
 * questions go to the same peer, so the block hash is that peer's. Undefined when it is not
 * recorded there (yet), or when the peer could not say.
 */
export async function recordedOutcome(ask: (path: string) => Promise<QueryAnswer>, ledgerHash: HashDigest, hash: HashDigest): Promise<TransactionOutcome | undefined> {
  const ledger = ledgerHash.toBase58();
  const result = await envelopeData<{ result?: { blockHeight?: unknown; executionState?: unknown } }>(() => ask(`/ledgers/${ledger}/txs/hash/${hash.toBase58()}`));
  const { blockHeight, executionState } = result?.result ?? {};
  if (typeof blockHeight !== 'number' || typeof executionState !== 'string' || !(executionState in TransactionState)) return undefined;
  const block = await envelopeData<{ hash?: unknown }>(() => ask(`/ledgers/${ledger}/blocks/height/${blockHeight}`));
  if (typeof block?.hash !== 'string') return undefined;
  try {
    return { transactionHash: hash, blockHeight: BigInt(blockHeight), blockHash: HashDigest.fromBase58(block.hash), state: executionState as TransactionState };
  } catch {
    return undefined;
  }
}
