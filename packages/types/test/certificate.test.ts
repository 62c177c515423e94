import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoSuite } from '@jadechain/crypto/node';
import type { PrivKey, PubKey } from '@jadechain/crypto';
import { commitVoteMessage, countCertificateSigners, type CommitCertificate, type Vote } from '../src/index.js';

/** Quorum counting over real Ed25519 and SM2 votes: what counts once, and what never counts. */
describe('countCertificateSigners', () => {
  const ledgerHash = cryptoSuite.hash('SHA256', new TextEncoder().encode('ledger'));
  const blockHash = cryptoSuite.hash('SHA256', new TextEncoder().encode('block 5'));
  const keys = [cryptoSuite.generateKeyPair('ED25519'), cryptoSuite.generateKeyPair('SM2'), cryptoSuite.generateKeyPair('ED25519'), cryptoSuite.generateKeyPair('ED25519')];
  const signers = keys.map((pair, id) => ({ id, pubKey: pair.publicKey }));
  const message = commitVoteMessage({ ledgerHash, height: 5n, round: 1, blockHash });
  const byId = (id: number, privateKey: PrivKey = (keys[id] as { privateKey: PrivKey }).privateKey): Vote => ({
    voter: { type: 'PARTICIPANT_ID', id },
    signature: cryptoSuite.sign(privateKey, message),
  });
  const certificate = (votes: Vote[]): CommitCertificate => ({ height: 5n, round: 1, blockHash, votes });

  test('counts each distinct valid voter once, by id or by key', () => {
    const byKey: Vote = { voter: { type: 'PUBKEY', pubKey: signers[1]?.pubKey as PubKey }, signature: byId(1).signature };
    assert.equal(countCertificateSigners(cryptoSuite, ledgerHash, certificate([byId(0), byKey, byId(2)]), signers), 3);
    assert.equal(countCertificateSigners(cryptoSuite, ledgerHash, certificate([byId(0), byId(0), byId(0)]), signers), 1);
  });

  test('a stranger, a vote under another id, another ledger or another round count nothing', () => {
    const stranger = cryptoSuite.generateKeyPair('ED25519');
    assert.equal(countCertificateSigners(cryptoSuite, ledgerHash, certificate([byId(3, stranger.privateKey)]), signers), 0);
    assert.equal(countCertificateSigners(cryptoSuite, ledgerHash, certificate([{ ...byId(2), voter: { type: 'PARTICIPANT_ID', id: 3 } }]), signers), 0);
    const otherLedger = cryptoSuite.hash('SHA256', new TextEncoder().encode('other'));
    assert.equal(countCertificateSigners(cryptoSuite, otherLedger, certificate([byId(0), byId(1)]), signers), 0);
    assert.equal(countCertificateSigners(cryptoSuite, ledgerHash, { ...certificate([byId(0)]), round: 2 }, signers), 0);
  });

  test('signers whose ids are unknown are matched by their signatures', () => {
    const keysOnly = keys.map((pair) => ({ pubKey: pair.publicKey }));
    assert.equal(countCertificateSigners(cryptoSuite, ledgerHash, certificate([byId(3), byId(1)]), keysOnly), 2);
  });
});
