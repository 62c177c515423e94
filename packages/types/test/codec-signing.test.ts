import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoSuite } from '@jadechain/crypto/node';
import {
  LedgerInitSignature,
  TransactionRequest,
  commitVoteMessage,
  initProposalHash,
  signHash,
  signedBytesOf,
  transactionHash,
  verifyHashSignature,
} from '../src/index.js';
import type { TransactionRequest as Request } from '../src/index.js';
import { ALICE_KEY, ALICE_SIGNATURE, BOB_KEY, BOB_SIGNATURE, EXAMPLES, ONE_KV_WRITE } from './codec-examples.js';

/** Signing and verifying through the real crypto suite, over the codec's hashes and messages. */

describe('example keys', () => {
  test('are RFC 8032 §7.1 TEST 1 and TEST 2, whose signatures verify', () => {
    assert.ok(cryptoSuite.verify(ALICE_KEY, new Uint8Array(0), ALICE_SIGNATURE));
    assert.ok(cryptoSuite.verify(BOB_KEY, Uint8Array.of(0x72), BOB_SIGNATURE));
  });
});

describe('transaction signatures', () => {
  test('sign the tagged transaction hash; any change to the content breaks them', () => {
    const user = cryptoSuite.generateKeyPair('ED25519');
    const gateway = cryptoSuite.generateKeyPair('SM2');
    const hash = transactionHash(cryptoSuite, 'SM3', ONE_KV_WRITE);
    const request: Request = {
      content: ONE_KV_WRITE,
      endpointSignatures: [signHash(cryptoSuite, user.privateKey, hash)],
      nodeSignatures: [signHash(cryptoSuite, gateway.privateKey, hash)],
    };
    const received = TransactionRequest.decode(TransactionRequest.encode(request));
    const receivedHash = transactionHash(cryptoSuite, 'SM3', received.content);
    assert.ok(receivedHash.equals(hash));
    for (const signature of [...received.endpointSignatures, ...received.nodeSignatures]) {
      assert.ok(verifyHashSignature(cryptoSuite, signature, receivedHash));
    }
    const altered = transactionHash(cryptoSuite, 'SM3', { ...ONE_KV_WRITE, timestamp: ONE_KV_WRITE.timestamp + 1n });
    assert.equal(verifyHashSignature(cryptoSuite, received.endpointSignatures[0]!, altered), false);
    assert.ok(cryptoSuite.verify(user.publicKey, signedBytesOf(hash), request.endpointSignatures[0]!.signature));
  });

  test('the nonce makes identical operations in the same millisecond distinct transactions', () => {
    const first = transactionHash(cryptoSuite, 'SHA256', ONE_KV_WRITE);
    const second = transactionHash(cryptoSuite, 'SHA256', { ...ONE_KV_WRITE, nonce: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9) });
    assert.equal(first.equals(second), false);
  });
});

describe('init and vote signatures', () => {
  test('an organisation signs the init proposal hash', () => {
    const organisation = cryptoSuite.generateKeyPair('ED25519');
    const proposalHash = initProposalHash(cryptoSuite, 'SHA256', EXAMPLES.LedgerInitProposal);
    const approval = LedgerInitSignature.decode(
      LedgerInitSignature.encode({ proposalHash, signature: signHash(cryptoSuite, organisation.privateKey, proposalHash) }),
    );
    assert.ok(verifyHashSignature(cryptoSuite, approval.signature, approval.proposalHash));
  });

  test('a vote signature does not verify as a signature of the block hash alone', () => {
    const participant = cryptoSuite.generateKeyPair('ED25519');
    const vote = EXAMPLES.CommitVote;
    const signature = cryptoSuite.sign(participant.privateKey, commitVoteMessage(vote));
    assert.ok(cryptoSuite.verify(participant.publicKey, commitVoteMessage(vote), signature));
    assert.equal(cryptoSuite.verify(participant.publicKey, signedBytesOf(vote.blockHash), signature), false);
    assert.equal(cryptoSuite.verify(participant.publicKey, commitVoteMessage({ ...vote, round: 1 }), signature), false);
  });
});
