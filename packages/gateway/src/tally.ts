import type { TransactionOutcome } from '@jadechain/service';
import { GatewayError } from './errors.js';

/** n validators tolerate f = ⌊(n−1)/3⌋ faulty ones; a quorum is q = n − f (spec/consensus.md §1). */
export interface QuorumSize {
  readonly n: number;
  readonly f: number;
  readonly quorum: number;
}

export function quorumSize(n: number): QuorumSize {
  const f = n < 1 ? 0 : Math.floor((n - 1) / 3);
  return { n, f, quorum: n - f };
}

/** Who counts toward the f+1 reports that make an outcome final. */
export interface FinalityRule {
  readonly size: QuorumSize;
  /** Identity keys (base58) of the ledger's validators; undefined when unknown, and then every peer counts. */
  readonly validators?: ReadonlySet<string>;
}

/** What one peer has said about one transaction, from its SUBMIT verdict, its RESULT notices, or a look-up. */
export type PeerReport =
  | { readonly kind: 'pending' }
  | { readonly kind: 'unreachable'; readonly error: GatewayError }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  | { readonly kind: 'admitted' }
  | { readonly kind: 'dropped'; readonly code: string; readonly message: string }
  | { readonly kind: 'committed'; readonly outcome: TransactionOutcome };

export type Decision =
  | { readonly kind: 'pending' }
  | { readonly kind: 'committed'; readonly outcome: TransactionOutcome }
  | { readonly kind: 'failed'; readonly error: GatewayError }
  /** f+1 peers each for two different blocks: more than f peers are faulty, or the ledger forked. */
  | { readonly kind: 'conflict'; readonly outcomes: readonly TransactionOutcome[] };

/** Two peers naming different blocks (or states) for one transaction: at least one of them is faulty. */
export interface Disagreement {
  readonly peer: string;
  readonly outcome: TransactionOutcome;
  readonly otherPeer: string;
  readonly otherOutcome: TransactionOutcome;
}

/**
 * Drop codes that say something about this peer only (it stopped, its pool was full), not about
 * the transaction: f+1 of them agreeing proves nothing, so they never end a wait early.
 */
const PEER_LOCAL_CODES: ReadonlySet<string> = new Set(['CLOSED', 'ENGINE_FAILED', 'MEMPOOL_FULL', 'UNAVAILABLE', 'BUSY']);

/** Later reports replace earlier ones only when they say more; a first commit report is never replaced. */
const RANK: Readonly<Record<PeerReport['kind'], number>> = { pending: 0, unreachable: 1, refused: 2, admitted: 3, dropped: 4, committed: 5 };

/** Equal for the same block and state. The hash's bytes as latin1, not base58: this runs for every report of every transaction. */
export function outcomeKey(outcome: TransactionOutcome): string {
  return `${outcome.blockHeight}/${outcome.blockHash.toLatin1()}/${outcome.state}`;
}

export function describeOutcome(outcome: TransactionOutcome): string {
  return `height ${outcome.blockHeight} block ${outcome.blockHash.toBase58()} ${outcome.state}`;
}

/**
 * Combines what the peers say about one transaction (pure: no clock, no I/O). The rules
 * (docs/api.md "Several peers"): COMMITTED once f+1 counted peers name the same block and state;
 * refused once every peer that answered refused it or dropped it after admitting it (or f+1
 * counted peers drop it with the same ledger code); pending while any peer has it admitted,
 * has not answered, or reported a commit that fewer than f+1 confirm.
 *
 * A gateway decides after every verdict and notice: about nine times per transaction with four
 * peers. So the counts the rules need are kept as reports arrive, and `decision()` only looks
 * at the reports themselves once a count has reached f+1 or no peer is still to answer.
 */
export class Tally {
  readonly #reports = new Map<string, PeerReport>();
  /** The block-and-state key of each peer's commit report (counted or not). */
  readonly #commitKeys = new Map<string, string>();
  /** Counted peers per commit key, and per ledger drop code (peer-local codes left out). */
  readonly #commitCounts = new Map<string, number>();
  readonly #dropCounts = new Map<string, number>();
  /** Reports that keep the decision open: pending, admitted or committed. */
  #open = 0;
  #sent = false;

  constructor(readonly rule: FinalityRule) {}

  get reports(): ReadonlyMap<string, PeerReport> {
    return this.#reports;
  }

  /** The batch went to these peers: until each answers, a refusal by the others is not final. */
  sent(peers: readonly string[]): void {
    this.#sent = true;
    for (const peer of peers) if (!this.#reports.has(peer)) this.#replace(peer, undefined, { kind: 'pending' });
  }

  /** Records a peer's report; answers a disagreement when it names a block no other peer named while another peer named one. */
  report(peer: string, report: PeerReport): Disagreement | undefined {
    const previous = this.#reports.get(peer);
    if (previous === undefined || RANK[report.kind] > RANK[previous.kind]) this.#replace(peer, previous, report);
    if (report.kind !== 'committed') return undefined;
    if (previous?.kind === 'committed') {
      // The first commit report stays; a later one naming another block disagrees with it.
      return outcomeKey(report.outcome) === this.#commitKeys.get(peer) ? undefined : { peer, outcome: report.outcome, otherPeer: peer, otherOutcome: previous.outcome };
    }
    const key = this.#commitKeys.get(peer);
    // One disagreement per distinct block: a block another peer already named was reported before.
    let first: Disagreement | undefined;
    for (const [otherPeer, other] of this.#reports) {
      if (otherPeer === peer || other.kind !== 'committed') continue;
      if (this.#commitKeys.get(otherPeer) === key) return undefined;
      first ??= { peer, outcome: report.outcome, otherPeer, otherOutcome: other.outcome };
    }
    return first;
  }

  decision(): Decision {
    const needed = this.rule.size.f + 1;
    if (reaches(this.#commitCounts, needed)) {
      const commits = this.#groups('committed', (peer, report) => (report.kind === 'committed' ? this.#commitKeys.get(peer) : undefined));
      const outcomes = [...commits.values()].filter((group) => group.length >= needed).map((group) => (group[0] as PeerReport & { kind: 'committed' }).outcome);
      if (outcomes.length > 1) return { kind: 'conflict', outcomes };
      if (outcomes[0] !== undefined) return { kind: 'committed', outcome: outcomes[0] };
    }
    if (reaches(this.#dropCounts, needed)) {
      const drops = this.#groups('dropped', (_, report) => (report.kind === 'dropped' && !PEER_LOCAL_CODES.has(report.code) ? report.code : undefined));
      const agreedDrop = [...drops.values()].find((group) => group.length >= needed)?.[0];
      if (agreedDrop?.kind === 'dropped') return { kind: 'failed', error: refusal(agreedDrop.code, agreedDrop.message) };
    }
    if (!this.#sent || this.#open > 0) return { kind: 'pending' };
    return { kind: 'failed', error: everyoneSaidNo([...this.#reports.values()]) };
  }

  /** Replaces a peer's report, moving the counts from what it said before to what it says now. */
  #replace(peer: string, previous: PeerReport | undefined, report: PeerReport): void {
    if (previous !== undefined) this.#count(peer, previous, -1);
    this.#reports.set(peer, report);
    if (report.kind === 'committed') this.#commitKeys.set(peer, outcomeKey(report.outcome));
    this.#count(peer, report, 1);
  }

  #count(peer: string, report: PeerReport, delta: 1 | -1): void {
    if (report.kind === 'pending' || report.kind === 'admitted' || report.kind === 'committed') this.#open += delta;
    if (this.rule.validators !== undefined && !this.rule.validators.has(peer)) return;
    if (report.kind === 'committed') add(this.#commitCounts, this.#commitKeys.get(peer) as string, delta);
    if (report.kind === 'dropped' && !PEER_LOCAL_CODES.has(report.code)) add(this.#dropCounts, report.code, delta);
  }

  /** Reports of counted peers, grouped by `keyOf` (reports it maps to undefined are left out), in the peers' order. */
  #groups(kind: PeerReport['kind'], keyOf: (peer: string, report: PeerReport) => string | undefined): Map<string, PeerReport[]> {
    const groups = new Map<string, PeerReport[]>();
    for (const [peer, report] of this.#reports) {
      if (report.kind !== kind || (this.rule.validators !== undefined && !this.rule.validators.has(peer))) continue;
      const key = keyOf(peer, report);
      if (key === undefined) continue;
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = []));
      group.push(report);
    }
    return groups;
  }
}

function add(counts: Map<string, number>, key: string, delta: number): void {
  counts.set(key, (counts.get(key) ?? 0) + delta);
}

function reaches(counts: ReadonlyMap<string, number>, needed: number): boolean {
  for (const count of counts.values()) if (count >= needed) return true;
  return false;
}

function refusal(code: string, message: string): GatewayError {
  return code === 'MEMPOOL_FULL' ? new GatewayError('MEMPOOL_FULL', message) : new GatewayError('REFUSED_BY_PEER', `${code}: ${message}`);
}

/**
 * Every peer asked has refused, dropped or failed the transaction. A full mempool is the answer
 * only when it was everyone's reason (the client should back off and retry); otherwise the most
 * frequent other reason (the first one heard on a tie); when no peer could even be asked, the
 * most frequent transport failure.
 */
function everyoneSaidNo(reports: readonly PeerReport[]): GatewayError {
  const answers = reports.flatMap((report) => (report.kind === 'refused' || report.kind === 'dropped' ? [report] : []));
  const reasons = answers.filter((answer) => answer.code !== 'MEMPOOL_FULL');
  const chosen = mostFrequent(reasons.length > 0 ? reasons : answers, (answer) => answer.code);
  if (chosen !== undefined) return refusal(chosen.code, chosen.message);
  const failures = reports.flatMap((report) => (report.kind === 'unreachable' ? [report.error] : []));
  return mostFrequent(failures, (error) => error.code) ?? new GatewayError('PEER_UNAVAILABLE', 'no peer is connected');
}

/** The item whose key occurs most often (the earliest such item on a tie); undefined for no items. */
function mostFrequent<T>(items: readonly T[], keyOf: (item: T) => string): T | undefined {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = 0;
  for (const item of items) {
    const count = counts.get(keyOf(item)) ?? 0;
    if (count > bestCount) [best, bestCount] = [item, count];
  }
  return best;
}
