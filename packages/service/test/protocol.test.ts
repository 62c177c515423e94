import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoSuite } from '@jadechain/crypto';
import {
  NodeError,
  QueryRequest,
  ResultNotice,
  SUBMIT_DOMAIN_TEXT,
  SubmitAck,
  SubmitBatch,
  decodeMessage,
  signSubmitBatch,
  submitMessage,
  verifySubmitBatch,
} from '../src/index.js';

const gateway = cryptoSuite.generateKeyPair('ED25519');
const other = cryptoSuite.generateKeyPair('ED25519');
const ledgerHash = cryptoSuite.hash('SHA256', new TextEncoder().encode('ledger'));
const content = { ledgerHash, transactions: [Uint8Array.of(1, 2, 3), Uint8Array.of(4)] };

function code(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof NodeError) return error.code;
    throw error;
  }
  return 'NO_ERROR';
}

describe('gateway↔peer protocol', () => {
  test('the batch message is the domain tag followed by the canonical content', () => {
    const message = submitMessage(content);
    const tag = new TextEncoder().encode(SUBMIT_DOMAIN_TEXT);
    assert.deepEqual(message.subarray(0, tag.length), tag);
    // Record header: type code 0x0160, layout version 1.
    assert.deepEqual([...message.subarray(tag.length, tag.length + 3)], [0x01, 0x60, 0x01]);
  });

  test('a signed batch round-trips and verifies under the connection identity only', () => {
    const batch = decodeMessage(SubmitBatch, SubmitBatch.encode(signSubmitBatch(content, gateway.privateKey)), 'SUBMIT');
    assert.equal(code(() => verifySubmitBatch(batch, gateway.publicKey)), 'NO_ERROR');
    assert.equal(code(() => verifySubmitBatch(batch, other.publicKey)), 'BAD_BATCH_SIGNATURE');
  });

  test('a batch whose content changed after signing is refused', () => {
    const batch = signSubmitBatch(content, gateway.privateKey);
    const tampered = { ...batch, content: { ...content, transactions: [Uint8Array.of(9)] } };
    assert.equal(code(() => verifySubmitBatch(tampered, gateway.publicKey)), 'BAD_BATCH_SIGNATURE');
  });

  test('malformed messages are MALFORMED_MESSAGE, never another exception', () => {
    const good = SubmitBatch.encode(signSubmitBatch(content, gateway.privateKey));
    for (const bytes of [new Uint8Array(0), good.subarray(0, good.length - 1), Uint8Array.of(...good, 0), SubmitAck.encode({ verdicts: [] })]) {
      assert.equal(code(() => decodeMessage(SubmitBatch, bytes, 'SUBMIT')), 'MALFORMED_MESSAGE');
    }
  });

  test('acknowledgements, notices and queries round-trip', () => {
    const hash = cryptoSuite.hash('SHA256', Uint8Array.of(1));
    const ack = { verdicts: [
      { status: 'ADMITTED' as const, transactionHash: hash, code: '', message: '' },
      { status: 'REFUSED' as const, code: 'MALFORMED', message: 'no' },
      { status: 'COMMITTED' as const, transactionHash: hash, code: '', message: '', outcome: { transactionHash: hash, blockHeight: 7n, blockHash: hash, state: 'SUCCESS' as const } },
    ] };
    assert.deepEqual(SubmitAck.encode(SubmitAck.decode(SubmitAck.encode(ack))), SubmitAck.encode(ack));
    const notice = { ledgerHash, outcomes: [{ transactionHash: hash, blockHeight: 3n, blockHash: hash, state: 'SUCCESS' as const }], dropped: [{ transactionHash: hash, code: 'TOO_LARGE', message: '' }] };
    assert.equal(ResultNotice.decode(ResultNotice.encode(notice)).outcomes[0]?.blockHeight, 3n);
    const query = { method: 'POST' as const, path: '/ledgers/x/accounts/y/entries', query: 'keys=a', body: '{"keys":["a"]}' };
    assert.deepEqual(QueryRequest.decode(QueryRequest.encode(query)), query);
    assert.throws(() => QueryRequest.encode({ ...query, body: '{not json' }));
  });
});
