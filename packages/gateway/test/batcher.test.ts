import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoSuite } from '@jadechain/crypto';
import { MAX_SUBMIT_BATCH_BYTES, SubmitAck, SubmitBatch, type SubmitVerdict } from '@jadechain/service';
import { Batcher, type BatchLinks } from '../src/batcher.js';
import { GatewayError } from '../src/errors.js';
import type { BatchSink } from '../src/results.js';
import { keyPair } from './network.js';

/**
 * The batcher against a recording stand-in for the peer links (the links themselves are tested
 * with real peers elsewhere): what leaves in one batch, and that no batch outgrows a frame. A CI
 * run once sent 120 transactions of 57 KB as one 4.5 MB batch, which the transport refused.
 */
const LEDGER = cryptoSuite.hash('SHA256', new TextEncoder().encode('ledger'));
const KEY = keyPair('batcher').privateKey;

class RecordingLinks implements BatchLinks {
  readonly batches: SubmitBatch[] = [];

  connected(): string[] {
    return ['p0'];
  }

  async requestTo(_peer: string, _channel: number, body: Uint8Array): Promise<Uint8Array> {
    const batch = SubmitBatch.decode(body);
    this.batches.push(batch);
    const verdict: SubmitVerdict = { status: 'ADMITTED', code: '', message: '' };
    return SubmitAck.encode({ verdicts: batch.content.transactions.map(() => verdict) });
  }
}

function sink(answers: Array<SubmitVerdict | GatewayError>): BatchSink {
  return { sent: () => undefined, answered: (_peer, answer) => answers.push(answer) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('Batcher', () => {
  test('transactions within the window leave as one co-signed batch, each answered', async () => {
    const links = new RecordingLinks();
    const answers: Array<SubmitVerdict | GatewayError> = [];
    const batcher = new Batcher(links, KEY, 5, 512);
    for (let index = 0; index < 3; index += 1) batcher.enqueue(LEDGER, new Uint8Array(100).fill(index + 1), sink(answers));
    await settle();
    assert.equal(links.batches.length, 1);
    assert.deepEqual(links.batches[0]?.content.transactions.map((bytes) => bytes[0]), [1, 2, 3]);
    assert.equal(answers.length, 3);
  });

  test('a transaction after a quiet spell leaves at once; what follows within the window waits for the next batch', async () => {
    const links = new RecordingLinks();
    const batcher = new Batcher(links, KEY, 300, 512);
    batcher.enqueue(LEDGER, new Uint8Array(10).fill(1), sink([]));
    await settle();
    assert.equal(links.batches.length, 1, 'the first transaction did not wait for the 300 ms window');
    for (let index = 2; index <= 4; index += 1) batcher.enqueue(LEDGER, new Uint8Array(10).fill(index), sink([]));
    await settle();
    assert.equal(links.batches.length, 1, 'within the window of the last batch, the next one waits');
    await new Promise((resolve) => setTimeout(resolve, 320));
    assert.deepEqual(links.batches.map((batch) => batch.content.transactions.map((bytes) => bytes[0])), [[1], [2, 3, 4]]);
  });

  test('a batch is sent once it holds maxTransactions', async () => {
    const links = new RecordingLinks();
    const batcher = new Batcher(links, KEY, 1_000, 4);
    for (let index = 0; index < 10; index += 1) batcher.enqueue(LEDGER, new Uint8Array(10), sink([]));
    assert.equal(links.batches.length, 2, 'two full batches left at once, without waiting for the window');
    batcher.flushAll();
    assert.deepEqual(links.batches.map((batch) => batch.content.transactions.length), [4, 4, 2]);
  });

  test('a transaction that would take the batch past the byte limit starts the next batch, so each encoded batch fits a frame', async () => {
    const links = new RecordingLinks();
    const batcher = new Batcher(links, KEY, 1_000, 512);
    const size = 57_000;
    const count = 120;
    for (let index = 0; index < count; index += 1) batcher.enqueue(LEDGER, new Uint8Array(size).fill(index % 251), sink([]));
    batcher.flushAll();
    await settle();
    const perBatch = Math.floor(MAX_SUBMIT_BATCH_BYTES / size);
    assert.deepEqual(links.batches.map((batch) => batch.content.transactions.length), [perBatch, count - perBatch]);
    for (const batch of links.batches) {
      assert.ok(SubmitBatch.encode(batch).length <= 4 * 1024 * 1024, 'the encoded batch fits the transport frame');
    }
    const order = links.batches.flatMap((batch) => batch.content.transactions.map((bytes) => bytes[0]));
    assert.deepEqual(order, Array.from({ length: count }, (_, index) => index % 251), 'order is kept across batches');
  });

  test('a transaction above the byte limit never reaches a peer (the submitter refuses it as TRANSACTION_TOO_LARGE)', () => {
    const links = new RecordingLinks();
    const batcher = new Batcher(links, KEY, 1_000, 512, 1_000);
    assert.throws(() => batcher.enqueue(LEDGER, new Uint8Array(1_001), sink([])), (error: unknown) => error instanceof GatewayError);
    batcher.flushAll();
    assert.equal(links.batches.length, 0);
  });
});
