import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cryptoSuite } from '@jadechain/crypto';
import { CodecError, TransactionContent, TransactionRequest, decodeTransactionRequest, transactionHash, transactionHashOfContentBytes } from '../src/index.js';
import { arbitraryOf } from './codec-arbitraries.js';
import { check, toHex } from './codec-support.js';

/**
 * decodeTransactionRequest finds the content's canonical bytes inside the request's: for arbitrary
 * requests they must be exactly the content encoded on its own, so the hash from them is the
 * transaction hash, and decoding stays as strict as TransactionRequest.decode.
 */
describe('a request decoded with its content bytes', () => {
  test('the content bytes are the content encoded alone, and hash to the transaction hash', () => {
    check(
      fc.property(arbitraryOf(TransactionRequest), (request) => {
        const bytes = TransactionRequest.encode(request);
        const { request: decoded, contentBytes } = decodeTransactionRequest(bytes);
        assert.equal(toHex(contentBytes), toHex(TransactionContent.encode(decoded.content)));
        assert.equal(toHex(TransactionRequest.encode(decoded)), toHex(bytes));
        assert.ok(transactionHashOfContentBytes(cryptoSuite, 'SHA256', contentBytes).equals(transactionHash(cryptoSuite, 'SHA256', request.content)));
      }),
      100,
    );
  });

  test('each decode reports its own content, and bad bytes are refused as by TransactionRequest.decode', () => {
    const [first, second] = fc.sample(arbitraryOf(TransactionRequest), { numRuns: 2, seed: 7 }) as [TransactionRequest, TransactionRequest];
    const firstBytes = TransactionRequest.encode(first);
    const secondBytes = TransactionRequest.encode(second);
    const a = decodeTransactionRequest(firstBytes);
    const b = decodeTransactionRequest(secondBytes);
    assert.equal(toHex(a.contentBytes), toHex(TransactionContent.encode(first.content)));
    assert.equal(toHex(b.contentBytes), toHex(TransactionContent.encode(second.content)));
    for (const bad of [firstBytes.subarray(0, firstBytes.length - 1), new Uint8Array([...firstBytes, 0])]) {
      assert.throws(() => decodeTransactionRequest(bad), CodecError);
      assert.throws(() => TransactionRequest.decode(bad), CodecError);
    }
  });
});
