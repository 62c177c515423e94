import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContractHost } from '@jadechain/ledger';
import { labelAddress } from '../src/local-ledger.js';
import { WriteOverlay } from '../src/overlay.js';
import { toTypedValue } from '../src/typed.js';

const STORE = labelAddress('store');
const CONTRACT = labelAddress('contract');
const HELD = { version: 3n, value: toTypedValue('held') };

/** A host holding one key and one topic, counting what it is asked. */
function countingHost(): { readonly host: ContractHost; readonly asked: string[] } {
  const asked: string[] = [];
  const host = {
    getKv(_account, key) {
      asked.push(`kv ${key}`);
      return key === 'held' ? HELD : undefined;
    },
    getEventSequence(_account, topic) {
      asked.push(`event ${topic}`);
      return topic === 'busy' ? 7n : -1n;
    },
  } as Pick<ContractHost, 'getKv' | 'getEventSequence'> as ContractHost;
  return { host, asked };
}

test('the overlay asks the host once per slot, and a rollback goes back to the host\'s answer', () => {
  const { host, asked } = countingHost();
  const overlay = new WriteOverlay(host);
  assert.deepEqual(overlay.getKv(STORE, 'held'), HELD);
  assert.equal(overlay.getKv(STORE, 'absent'), undefined);
  assert.equal(overlay.eventSequence(STORE, 'busy'), 7n);
  assert.equal(overlay.eventSequence(STORE, 'quiet'), -1n);

  const checkpoint = overlay.checkpoint();
  overlay.record({ type: 'KvSet', account: STORE, key: 'held', value: toTypedValue('new'), expectedVersion: 3n, contract: CONTRACT });
  overlay.record({ type: 'KvSet', account: STORE, key: 'absent', value: toTypedValue(1n), expectedVersion: -1n, contract: CONTRACT });
  overlay.record({ type: 'EventPublish', account: STORE, topic: 'busy', content: toTypedValue('e'), expectedSequence: 7n, contract: CONTRACT });
  assert.equal(overlay.getKv(STORE, 'held')?.version, 4n);
  assert.equal(overlay.getKv(STORE, 'absent')?.version, 0n);
  assert.equal(overlay.eventSequence(STORE, 'busy'), 8n);

  overlay.rollback(checkpoint);
  assert.deepEqual(overlay.getKv(STORE, 'held'), HELD);
  assert.equal(overlay.getKv(STORE, 'absent'), undefined);
  assert.equal(overlay.eventSequence(STORE, 'busy'), 7n);
  assert.deepEqual(overlay.operations, []);
  assert.deepEqual(asked, ['kv held', 'kv absent', 'event busy', 'event quiet'], 'each slot asked of the host once');
});
