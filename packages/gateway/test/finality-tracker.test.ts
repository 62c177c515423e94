import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoSuite } from '@jadechain/crypto';
import type { Logger, SubmitVerdict, TransactionOutcome } from '@jadechain/service';
import { GatewayError } from '../src/errors.js';
import { FinalityTracker, reportOf } from '../src/results.js';
import { quorumSize, type FinalityRule } from '../src/tally.js';

/**
 * The tracker around the pure tally: verdicts and notices of several peers reach the right wait,
 * retries share one, a wait that runs out says so, and a peer naming another block than the one
 * already answered is logged even after the answer.
 */
const digest = (label: string) => cryptoSuite.hash('SHA256', new TextEncoder().encode(label));
const LEDGER = digest('ledger');
const PEERS = ['p0', 'p1', 'p2', 'p3'];
const FOUR: FinalityRule = { size: quorumSize(4), validators: new Set(PEERS) };
const LONG_MS = 60_000;

function outcome(transaction: string, block: string): TransactionOutcome {
  return { transactionHash: digest(transaction), blockHeight: 3n, blockHash: digest(block), state: 'SUCCESS' };
}

function recordingLogger(): Logger & { readonly errors: Array<Record<string, unknown>> } {
  const errors: Array<Record<string, unknown>> = [];
  return { info: () => undefined, warn: () => undefined, error: (_event, fields) => void errors.push(fields), errors };
}

const admitted: SubmitVerdict = { status: 'ADMITTED', code: '', message: '' };

describe('the finality tracker', () => {
  test('verdicts are reports: ADMITTED waits, COMMITTED carries its outcome, REFUSED its code, a failed request its error', () => {
    assert.deepEqual(reportOf(admitted), { kind: 'admitted' });
    const committed = outcome('t', 'b');
    assert.deepEqual(reportOf({ status: 'COMMITTED', code: '', message: '', outcome: committed }), { kind: 'committed', outcome: committed });
    assert.deepEqual(reportOf({ status: 'REFUSED', code: 'TOO_LARGE', message: 'big' }), { kind: 'refused', code: 'TOO_LARGE', message: 'big' });
    const error = new GatewayError('PEER_UNAVAILABLE', 'gone');
    assert.deepEqual(reportOf(error), { kind: 'unreachable', error });
  });

  test('notices from f+1 peers naming one block settle every wait for the transaction, and only it', async () => {
    const tracker = new FinalityTracker(recordingLogger());
    const first = tracker.wait(digest('t1'), FOUR, LONG_MS);
    const retry = tracker.wait(digest('t1'), FOUR, LONG_MS);
    const other = tracker.wait(digest('t2'), FOUR, LONG_MS);
    first.sink.sent(PEERS);
    for (const peer of PEERS) first.sink.answered(peer, admitted);
    tracker.notice('p0', { ledgerHash: LEDGER, outcomes: [outcome('t1', 'b3')], dropped: [] });
    assert.equal(tracker.size, 2);
    tracker.notice('p2', { ledgerHash: LEDGER, outcomes: [outcome('t1', 'b3')], dropped: [] });
    const [settled, settledRetry] = await Promise.all([first.settled, retry.settled]);
    assert.equal(settled?.kind, 'committed');
    assert.equal(settledRetry?.kind, 'committed');
    assert.equal(tracker.size, 1);
    other.cancel();
    assert.equal(await other.settled, undefined);
    assert.equal(tracker.size, 0);
  });

  test('drops settle as a refusal only once every admitting peer dropped', async () => {
    const tracker = new FinalityTracker(recordingLogger());
    const wait = tracker.wait(digest('t3'), FOUR, LONG_MS);
    wait.sink.sent(['p0', 'p1']);
    wait.sink.answered('p0', admitted);
    wait.sink.answered('p1', admitted);
    const drop = (peer: string, code: string) => tracker.notice(peer, { ledgerHash: LEDGER, outcomes: [], dropped: [{ transactionHash: digest('t3'), code, message: 'stopped' }] });
    drop('p0', 'CLOSED');
    assert.equal(tracker.size, 1);
    drop('p1', 'CLOSED');
    const settled = await wait.settled;
    assert.equal(settled?.kind === 'failed' ? settled.error.message : undefined, 'CLOSED: stopped');
  });

  test('a wait that runs out settles undefined and keeps its tally for the look-up', async () => {
    const tracker = new FinalityTracker(recordingLogger());
    const wait = tracker.wait(digest('t4'), FOUR, 1);
    wait.sink.sent(PEERS);
    wait.sink.answered('p1', admitted);
    assert.equal(await wait.settled, undefined);
    assert.equal(tracker.size, 0);
    assert.equal(wait.tally.reports.get('p1')?.kind, 'admitted');
  });

  test('reports of different blocks are logged with both, before and after the answer', async () => {
    const logger = recordingLogger();
    const tracker = new FinalityTracker(logger);
    const wait = tracker.wait(digest('t5'), FOUR, LONG_MS);
    wait.sink.sent(PEERS);
    tracker.notice('p0', { ledgerHash: LEDGER, outcomes: [outcome('t5', 'honest')], dropped: [] });
    tracker.notice('p3', { ledgerHash: LEDGER, outcomes: [outcome('t5', 'forged')], dropped: [] });
    assert.equal(logger.errors.length, 1);
    assert.equal(logger.errors[0]?.['peer'], 'p3');
    assert.equal(logger.errors[0]?.['otherPeer'], 'p0');
    tracker.notice('p1', { ledgerHash: LEDGER, outcomes: [outcome('t5', 'honest')], dropped: [] });
    const settled = await wait.settled;
    assert.equal(settled?.kind === 'committed' ? settled.outcome.blockHash.toBase58() : undefined, digest('honest').toBase58());
    tracker.notice('p2', { ledgerHash: LEDGER, outcomes: [outcome('t5', 'forged')], dropped: [] });
    assert.equal(logger.errors.length, 2, 'a late report of another block is logged too');
    assert.match(String(logger.errors[1]?.['otherOutcome']), new RegExp(digest('honest').toBase58()));
    assert.equal(tracker.disagreements, 2);
  });
});
