import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bftQuorum, checkMembershipChange, type MembershipChange, type ParticipantEntry, type PeerEntry } from '../src/commands/participant.js';

const entry = (id: number, state: string): ParticipantEntry => ({ id, address: `addr${id}`, publicKey: `key${id}`, state });
const peer = (id: number, live: boolean, caughtUp = live): PeerEntry => ({ publicKey: `key${id}`, connected: live, caughtUp });

/**
 * The rule counted another way: n validators now, `live` of them live; the change adds or removes
 * one (live or not). Allowed exactly when some validator remains and the live ones after the
 * change reach n' − ⌊(n'−1)/3⌋.
 */
function expected(n: number, live: number, delta: -1 | 0 | 1, targetLive: boolean): boolean {
  const after = n + delta;
  const liveAfter = live + (delta === 0 ? 0 : delta * (targetLive ? 1 : 0));
  return after >= 1 && 3 * liveAfter >= 3 * after - 3 * Math.floor((after - 1) / 3);
}

describe('jadechain participant: the quorum-safety rule', () => {
  test('the quorum n − ⌊(n−1)/3⌋: any two quorums share an honest validator, and f silent ones cannot stop one forming', () => {
    for (let n = 1; n <= 200; n++) {
      const f = Math.floor((n - 1) / 3);
      const q = bftQuorum(n);
      assert.ok(2 * q - n >= f + 1, `n=${n}: two quorums of ${q} share ${2 * q - n}`);
      assert.equal(n - q, f, `n=${n}: ${n - q} validators may be missing from a quorum`);
    }
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 10].map(bftQuorum), [1, 2, 3, 3, 4, 5, 5, 7]);
  });

  test('every network of 1 to 7 validators, every set of live ones, every change: allowed exactly when the rule says', () => {
    let cases = 0;
    for (let n = 1; n <= 7; n++) {
      for (let mask = 0; mask < 1 << n; mask++) {
        for (const readyLive of [false, true]) {
          const participants = [...Array.from({ length: n }, (_, id) => entry(id, 'CONSENSUS')), entry(n, 'READY'), entry(n + 1, 'DEACTIVATED')];
          const liveIds = Array.from({ length: n }, (_, id) => id).filter((id) => (mask & (1 << id)) !== 0);
          const peers = [...Array.from({ length: n }, (_, id) => peer(id, liveIds.includes(id))), peer(n, readyLive)];
          const live = liveIds.length;
          const check = (change: MembershipChange): boolean => {
            cases++;
            const verdict = checkMembershipChange(participants, peers, change);
            if (verdict.allowed) assert.ok(verdict.validatorsAfter >= 1 && verdict.liveAfter >= verdict.quorumAfter);
            return verdict.allowed;
          };
          assert.equal(check({ kind: 'register' }), expected(n, live, 0, false), `register n=${n} live=${live}`);
          assert.equal(check({ kind: 'activate', participant: String(n) }), readyLive && expected(n, live, 1, true), `activate n=${n} live=${live}`);
          assert.equal(check({ kind: 'activate', participant: 'addr' + String(n) }), readyLive && expected(n, live, 1, true), 'by address');
          for (let id = 0; id < n; id++) {
            assert.equal(check({ kind: 'deactivate', participant: String(id) }), expected(n, live, -1, liveIds.includes(id)), `deactivate ${id} n=${n} mask=${mask}`);
            assert.equal(check({ kind: 'activate', participant: String(id) }), false, 'already a validator');
          }
          assert.equal(check({ kind: 'deactivate', participant: String(n) }), false, 'a READY participant is no validator');
          assert.equal(check({ kind: 'deactivate', participant: String(n + 1) }), false, 'nor a DEACTIVATED one');
          assert.equal(check({ kind: 'activate', participant: String(n + 1) }), false, 'its peer is not configured');
          assert.equal(check({ kind: 'deactivate', participant: '99' }), false, 'unknown');
        }
      }
    }
    assert.ok(cases > 9_000, `${cases} cases`);
  });

  test('live means connected and caught up as the gateway judges it', () => {
    const four = [0, 1, 2, 3].map((id) => entry(id, 'CONSENSUS'));
    const deactivate3 = { kind: 'deactivate', participant: '3' } as const;
    const withPeer2 = (p: PeerEntry): PeerEntry[] => [peer(0, true), peer(1, true), p, peer(3, true)];
    assert.equal(checkMembershipChange(four, withPeer2(peer(2, true, true)), deactivate3).allowed, true);
    assert.equal(checkMembershipChange(four, withPeer2(peer(2, true, false)), deactivate3).allowed, false, 'connected, not caught up');
    assert.equal(checkMembershipChange(four, withPeer2({ publicKey: 'key2', connected: false, caughtUp: true }), deactivate3).allowed, false, 'caught up, not connected');
    assert.equal(checkMembershipChange(four, [peer(0, true), peer(1, true), peer(3, true)], deactivate3).allowed, false, 'a validator the gateway does not know of is not live');
  });

  test('a refusal says why, with the numbers', () => {
    const four = [0, 1, 2, 3].map((id) => entry(id, 'CONSENSUS'));
    const oneDown = [peer(0, true), peer(1, true), peer(2, true), peer(3, false)];
    const refused = checkMembershipChange(four, oneDown, { kind: 'deactivate', participant: '0' });
    assert.deepEqual({ ...refused, reason: undefined }, { allowed: false, reason: undefined, validatorsAfter: 3, quorumAfter: 3, liveAfter: 2 });
    assert.match(refused.reason, /3 validators would remain, a quorum of them is 3, and 2 are connected and caught up/);
    assert.equal(checkMembershipChange(four, oneDown, { kind: 'deactivate', participant: '3' }).allowed, true, 'removing the one that is down is safe');
    assert.match(checkMembershipChange([entry(0, 'CONSENSUS')], [peer(0, true)], { kind: 'deactivate', participant: '0' }).reason, /no validator would remain/);
    assert.match(checkMembershipChange(four, oneDown, { kind: 'activate', participant: 'addr9' }).reason, /no participant addr9/);
    assert.match(checkMembershipChange([...four, entry(4, 'READY')], oneDown, { kind: 'activate', participant: '4' }).reason, /peer is not connected and caught up: start it and let it sync first/);
  });
});
