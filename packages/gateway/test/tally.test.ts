import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoSuite } from '@jadechain/crypto';
import type { TransactionOutcome } from '@jadechain/service';
import { GatewayError } from '../src/errors.js';
import { Tally, quorumSize, type Decision, type FinalityRule, type PeerReport } from '../src/tally.js';

/**
 * The combining rule of docs/api.md "Several peers", as a pure unit: a table of verdict and
 * notice sequences with the outcome each must give, then every combination of final reports of
 * four peers checked against an independent statement of the rule.
 */
const digest = (label: string) => cryptoSuite.hash('SHA256', new TextEncoder().encode(label));
const TX = digest('transaction');
const outcome = (height: number, block: string, state: TransactionOutcome['state'] = 'SUCCESS'): TransactionOutcome => ({
  transactionHash: TX,
  blockHeight: BigInt(height),
  blockHash: digest(block),
  state,
});
const A = outcome(7, 'block-a');
const B = outcome(7, 'block-b');
const A_FAILED = outcome(7, 'block-a', 'DATA_VERSION_CONFLICT');

const pending: PeerReport = { kind: 'pending' };
const admitted: PeerReport = { kind: 'admitted' };
const committed = (value: TransactionOutcome): PeerReport => ({ kind: 'committed', outcome: value });
const refused = (code: string): PeerReport => ({ kind: 'refused', code, message: `${code} here` });
const dropped = (code: string): PeerReport => ({ kind: 'dropped', code, message: `${code} here` });
const unreachable = (code: 'PEER_UNAVAILABLE' | 'UNAUTHORIZED_GATEWAY'): PeerReport => ({ kind: 'unreachable', error: new GatewayError(code, 'no answer') });

const PEERS = ['p0', 'p1', 'p2', 'p3'];
const FOUR: FinalityRule = { size: quorumSize(4), validators: new Set(PEERS) };

function run(rule: FinalityRule, peers: readonly string[], steps: ReadonlyArray<readonly [string, PeerReport]>): Decision {
  const tally = new Tally(rule);
  tally.sent(peers);
  for (const [peer, report] of steps) tally.report(peer, report);
  return tally.decision();
}

/** The decision in a comparable form: kind plus block, or the error's code and message start. */
function summary(decision: Decision): string {
  switch (decision.kind) {
    case 'pending':
      return 'pending';
    case 'committed':
      return `committed ${decision.outcome.blockHash.toBase58() === A.blockHash.toBase58() ? 'A' : 'B'} ${decision.outcome.state}`;
    case 'conflict':
      return `conflict ${decision.outcomes.length}`;
    case 'failed':
      return `failed ${decision.error.code} ${decision.error.message.split(':')[0] ?? ''}`;
  }
}

describe('quorum sizes', () => {
  test('f = ⌊(n−1)/3⌋ and quorum = n − f', () => {
    const table: Array<[number, number, number]> = [[1, 0, 1], [2, 0, 2], [3, 0, 3], [4, 1, 3], [5, 1, 4], [6, 1, 5], [7, 2, 5], [10, 3, 7], [0, 0, 0]];
    for (const [n, f, quorum] of table) assert.deepEqual(quorumSize(n), { n, f, quorum }, `n=${n}`);
  });
});

describe('combining the reports of several peers', () => {
  const cases: Array<[string, FinalityRule, ReadonlyArray<readonly [string, PeerReport]>, string]> = [
    ['one peer: its commit is final', { size: quorumSize(1) }, [['p0', committed(A)]], 'committed A SUCCESS'],
    ['one peer: its refusal is final, with its code', { size: quorumSize(1) }, [['p0', refused('TOO_LARGE')]], 'failed REFUSED_BY_PEER TOO_LARGE'],
    ['one peer: a full mempool is MEMPOOL_FULL', { size: quorumSize(1) }, [['p0', refused('MEMPOOL_FULL')]], 'failed MEMPOOL_FULL MEMPOOL_FULL here'],
    ['one peer: admitted then dropped is refused', { size: quorumSize(1) }, [['p0', admitted], ['p0', dropped('CLOSED')]], 'failed REFUSED_BY_PEER CLOSED'],
    ['one peer: admitted waits', { size: quorumSize(1) }, [['p0', admitted]], 'pending'],
    ['one peer: not reachable is its error', { size: quorumSize(1) }, [['p0', unreachable('UNAUTHORIZED_GATEWAY')]], 'failed UNAUTHORIZED_GATEWAY no answer'],
    ['four: one commit report is not enough', FOUR, [['p0', committed(A)]], 'pending'],
    ['four: f+1 = 2 on the same block are final at once', FOUR, [['p0', committed(A)], ['p2', committed(A)]], 'committed A SUCCESS'],
    ['four: a notice before the verdict counts the same', FOUR, [['p1', committed(A)], ['p1', admitted], ['p3', committed(A)]], 'committed A SUCCESS'],
    ['four: the same block with another state is not the same report', FOUR, [['p0', committed(A)], ['p1', committed(A_FAILED)]], 'pending'],
    ['four: one faulty report of another block does not stop f+1', FOUR, [['p0', committed(B)], ['p1', committed(A)], ['p2', committed(A)]], 'committed A SUCCESS'],
    ['four: f+1 for each of two blocks is a conflict, never success', FOUR, [['p0', committed(A)], ['p1', committed(A)], ['p2', committed(B)], ['p3', committed(B)]], 'conflict 2'],
    ['four: a peer cannot change its commit report', FOUR, [['p0', committed(A)], ['p0', committed(B)], ['p1', committed(B)]], 'pending'],
    ['four: reports of non-validators do not count', FOUR, [['p0', committed(A)], ['stranger', committed(A)]], 'pending'],
    ['four: admitted by one, refused by the others: wait', FOUR, [['p0', admitted], ['p1', refused('MEMPOOL_FULL')], ['p2', refused('MEMPOOL_FULL')], ['p3', refused('MEMPOOL_FULL')]], 'pending'],
    ['four: refused everywhere for a full pool', FOUR, PEERS.map((peer) => [peer, refused('MEMPOOL_FULL')] as const), 'failed MEMPOOL_FULL MEMPOOL_FULL here'],
    ['four: a full pool somewhere, another reason elsewhere: the other reason', FOUR, [['p0', refused('MEMPOOL_FULL')], ['p1', refused('TIMESTAMP_OUT_OF_WINDOW')], ['p2', refused('MEMPOOL_FULL')], ['p3', unreachable('PEER_UNAVAILABLE')]], 'failed REFUSED_BY_PEER TIMESTAMP_OUT_OF_WINDOW'],
    ['four: a refusal is not final while a peer has not answered', FOUR, [['p0', refused('TOO_LARGE')], ['p1', refused('TOO_LARGE')], ['p2', refused('TOO_LARGE')]], 'pending'],
    ['four: unreachable peers do not count as answers', FOUR, [['p0', refused('TOO_LARGE')], ['p1', unreachable('PEER_UNAVAILABLE')], ['p2', unreachable('PEER_UNAVAILABLE')], ['p3', unreachable('PEER_UNAVAILABLE')]], 'failed REFUSED_BY_PEER TOO_LARGE'],
    ['four: nobody answered: the most frequent failure', FOUR, [['p0', unreachable('UNAUTHORIZED_GATEWAY')], ['p1', unreachable('PEER_UNAVAILABLE')], ['p2', unreachable('UNAUTHORIZED_GATEWAY')], ['p3', unreachable('PEER_UNAVAILABLE')]], 'failed UNAUTHORIZED_GATEWAY no answer'],
    ['four: a partial drop waits', FOUR, [['p0', admitted], ['p1', admitted], ['p2', refused('MEMPOOL_FULL')], ['p3', refused('MEMPOOL_FULL')], ['p0', dropped('CLOSED')]], 'pending'],
    ['four: every admitter dropped it: refused', FOUR, [['p0', admitted], ['p1', admitted], ['p2', refused('MEMPOOL_FULL')], ['p3', refused('MEMPOOL_FULL')], ['p0', dropped('CLOSED')], ['p1', dropped('ENGINE_FAILED')]], 'failed REFUSED_BY_PEER CLOSED'],
    ['four: f+1 drops with the same ledger code are final at once', FOUR, [['p0', admitted], ['p1', admitted], ['p2', admitted], ['p0', dropped('TIMESTAMP_OUT_OF_WINDOW')], ['p1', dropped('TIMESTAMP_OUT_OF_WINDOW')]], 'failed REFUSED_BY_PEER TIMESTAMP_OUT_OF_WINDOW'],
    ['four: f+1 drops for a peer-local reason are not', FOUR, [['p0', admitted], ['p1', admitted], ['p2', admitted], ['p0', dropped('CLOSED')], ['p1', dropped('CLOSED')]], 'pending'],
    ['four: a drop does not undo a commit report', FOUR, [['p0', committed(A)], ['p0', dropped('CLOSED')], ['p1', committed(A)]], 'committed A SUCCESS'],
    ['four: one commit report among drops waits for the look-up', FOUR, [['p0', committed(A)], ['p1', dropped('CLOSED')], ['p2', dropped('CLOSED')], ['p3', dropped('CLOSED')]], 'pending'],
    ['validators unknown: every peer counts', { size: quorumSize(4) }, [['x', committed(A)], ['y', committed(A)]], 'committed A SUCCESS'],
  ];
  for (const [name, rule, steps, expected] of cases) {
    // The batch went to the peers the case speaks of, and for four validators to all four.
    const peers = rule === FOUR ? PEERS : [...new Set(steps.map(([peer]) => peer))];
    test(name, () => assert.equal(summary(run(rule, peers, steps)), expected));
  }

  test('before the batch has left, only a commit or an agreed drop decides', () => {
    const tally = new Tally(FOUR);
    tally.report('p0', refused('TOO_LARGE'));
    assert.equal(tally.decision().kind, 'pending');
    tally.sent([]);
    assert.equal(summary(tally.decision()), 'failed REFUSED_BY_PEER TOO_LARGE');
    assert.equal(summary(run(FOUR, [], [])), 'failed PEER_UNAVAILABLE no peer is connected');
  });

  test('a report of another block than an earlier one is a disagreement naming both', () => {
    const tally = new Tally(FOUR);
    tally.sent(PEERS);
    assert.equal(tally.report('p0', committed(A)), undefined);
    assert.equal(tally.report('p1', committed(A)), undefined);
    const disagreement = tally.report('p2', committed(B));
    assert.equal(disagreement?.peer, 'p2');
    assert.equal(disagreement?.outcome, B);
    assert.ok(disagreement?.otherPeer === 'p0' || disagreement?.otherPeer === 'p1');
    assert.equal(disagreement?.otherOutcome, A);
    assert.equal(tally.report('p2', committed(A))?.otherOutcome, B, 'the same peer changing its report is one too');
    assert.equal(summary(tally.decision()), 'committed A SUCCESS');
  });
});

describe('every combination of four peers against the rule stated on its own', () => {
  const finals: readonly PeerReport[] = [pending, unreachable('PEER_UNAVAILABLE'), refused('MEMPOOL_FULL'), refused('TOO_LARGE'), admitted, dropped('CLOSED'), dropped('TIMESTAMP_OUT_OF_WINDOW'), committed(A), committed(B)];

  /** The rule, restated per count rather than per group. */
  function expected(reports: readonly PeerReport[]): string {
    const count = (match: (report: PeerReport) => boolean) => reports.filter(match).length;
    const forA = count((r) => r.kind === 'committed' && r.outcome === A);
    const forB = count((r) => r.kind === 'committed' && r.outcome === B);
    if (forA >= 2 && forB >= 2) return 'conflict 2';
    if (forA >= 2) return 'committed A SUCCESS';
    if (forB >= 2) return 'committed B SUCCESS';
    if (count((r) => r.kind === 'dropped' && r.code === 'TIMESTAMP_OUT_OF_WINDOW') >= 2) return 'failed REFUSED_BY_PEER TIMESTAMP_OUT_OF_WINDOW';
    if (reports.some((r) => r.kind === 'pending' || r.kind === 'admitted' || r.kind === 'committed')) return 'pending';
    const codes = reports.flatMap((r) => (r.kind === 'refused' || r.kind === 'dropped' ? [r.code] : []));
    if (codes.length === 0) return 'failed PEER_UNAVAILABLE no answer';
    if (codes.every((code) => code === 'MEMPOOL_FULL')) return 'failed MEMPOOL_FULL MEMPOOL_FULL here';
    const others = codes.filter((code) => code !== 'MEMPOOL_FULL');
    const best = others.find((code) => others.filter((c) => c === code).length === Math.max(...others.map((c) => others.filter((d) => d === c).length)));
    return `failed REFUSED_BY_PEER ${best ?? ''}`;
  }

  test(`all ${finals.length ** 4} combinations, each peer's report arriving after an ADMITTED verdict`, () => {
    let checked = 0;
    for (let combination = 0; combination < finals.length ** 4; combination++) {
      const reports = PEERS.map((_, index) => finals[Math.floor(combination / finals.length ** index) % finals.length] as PeerReport);
      const direct = summary(run(FOUR, PEERS, reports.map((report, index) => [PEERS[index] as string, report] as const)));
      assert.equal(direct, expected(reports), JSON.stringify(reports.map((r) => r.kind)));
      // A drop only ever follows admission; the decision must not depend on having seen the ADMITTED first.
      const viaAdmission = reports.flatMap((report, index): Array<readonly [string, PeerReport]> => {
        const peer = PEERS[index] as string;
        return report.kind === 'dropped' ? [[peer, admitted] as const, [peer, report] as const] : [[peer, report] as const];
      });
      assert.equal(summary(run(FOUR, PEERS, viaAdmission)), direct);
      checked += 1;
    }
    assert.equal(checked, 6561);
  });
});
