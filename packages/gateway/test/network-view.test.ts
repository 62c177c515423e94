import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CAUGHT_UP_MARGIN, NetworkView } from '../src/network-view.js';
import type { PeerLinks } from '../src/peer-links.js';

describe('who is caught up (NetworkView)', () => {
  // Nothing here asks a peer: heights are observed by hand, as polls (exact) and notices.
  const view = (): NetworkView => new NetworkView({} as PeerLinks, 1_000);

  test('heights of the same status poll are compared with each other; notices in between do not count', () => {
    const network = view();
    for (const validator of ['v0', 'v1', 'v2']) network.observe(validator, 'L', 100, true);
    network.observe('follower', 'L', 100 - CAUGHT_UP_MARGIN, true);
    // Under load, notices raise the validators' known heights between polls; the follower, given
    // no submissions, gets none. It was one block behind when polled, and still counts as caught up.
    for (const validator of ['v0', 'v1', 'v2']) network.observe(validator, 'L', 110, false);
    assert.equal(network.heightOf('v0', 'L'), 110);
    assert.equal(network.caughtUp('follower', 'L'), true);
    assert.equal(network.caughtUp('v0', 'L'), true);
    // The next poll finds it further behind than the margin.
    for (const validator of ['v0', 'v1', 'v2']) network.observe(validator, 'L', 111, true);
    network.observe('follower', 'L', 111 - CAUGHT_UP_MARGIN - 1, true);
    assert.equal(network.caughtUp('follower', 'L'), false);
  });

  test('before any poll answered, known heights are compared; a peer never heard of is not caught up; ledgers are judged apart', () => {
    const network = view();
    network.observe('v0', 'L', 5, false);
    network.observe('v1', 'L', 2, false);
    assert.equal(network.caughtUp('v0', 'L'), true);
    assert.equal(network.caughtUp('v1', 'L'), false);
    assert.equal(network.caughtUp('nobody', 'L'), false);
    network.observe('v0', 'M', 50, true);
    network.observe('v1', 'M', 10, true);
    assert.equal(network.caughtUp('v1', 'M'), false);
    assert.equal(network.caughtUp('v0', 'M'), true);
  });

  test('a validator whose last poll went unanswered still counts by the notices it sends', () => {
    const network = view();
    network.observe('v0', 'L', 100, true);
    network.observe('v1', 'L', 90, true);
    network.observe('v1', 'L', 105, false);
    assert.equal(network.caughtUp('v1', 'L'), true);
  });
});
