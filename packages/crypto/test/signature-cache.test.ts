import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureCache, type SignatureTask } from '../src/index.js';
import { cryptoSuite as suite } from '../src/index.node.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const alice = suite.generateKeyPair('ED25519');
const bob = suite.generateKeyPair('ED25519');

function signed(text: string, by = alice): SignatureTask {
  const message = suite.hash('SHA256', utf8(text)).toBytes();
  return { message, publicKey: by.publicKey, signature: suite.sign(by.privateKey, message) };
}

describe('SignatureCache', () => {
  test('holds exactly the (message, key, signature) it was told: another signature, key or message is no hit; old generations go', () => {
    const cache = new SignatureCache(4);
    const task = signed('content');
    cache.remember(task);
    assert.equal(cache.has(task), true);
    assert.equal(cache.has({ ...task, message: task.message.slice() }), true, 'found by content, not by object');
    assert.equal(cache.has({ ...task, signature: suite.sign(bob.privateKey, task.message) }), false, 'a forged signature over a known message');
    assert.equal(cache.has({ ...task, publicKey: bob.publicKey }), false, 'the same signature under another key');
    assert.equal(cache.has({ ...task, message: signed('other').message }), false, 'the same signature over another message');
    assert.equal(cache.has({ ...task, message: task.message.subarray(0, task.message.length - 1) }), false, 'a shorter message that is a prefix');
    for (let index = 0; index < 4; index += 1) cache.remember(signed(`filler ${index}`));
    assert.equal(cache.has(task), false, 'two generations of capacity/2 each: the first entry is gone after four more');
    assert.equal(cache.size, 3);
  });

  test('check verifies a miss once, remembers only a success, and answers a hit without verifying', () => {
    const cache = new SignatureCache();
    let verified = 0;
    const verifier = { verify: (...args: Parameters<typeof suite.verify>) => (verified++, suite.verify(...args)) };
    const good = signed('good');
    const bad = { ...signed('bad'), message: signed('other').message };
    assert.equal(cache.check(good, verifier), true);
    assert.equal(cache.check(good, verifier), true);
    assert.equal(verified, 1);
    assert.equal(cache.check(bad, verifier), false);
    assert.equal(cache.check(bad, verifier), false);
    assert.equal(verified, 3, 'a failure is verified again each time');
    assert.equal(cache.size, 1);
  });
});
