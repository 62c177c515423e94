import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { participantSetHash } from '@jadechain/types';
import { commitBlock, keyPair, newLedger, organisations, registerUser, run, setup, suite, tx } from './fixtures.js';

const newcomer = keyPair('participant-new');

describe('settings and participants', () => {
  test('a hash algorithm switch applies from the next block; the state trees keep the genesis algorithm', async () => {
    const ledger = await newLedger();
    const switched = await commitBlock(ledger, [tx(ledger.ledgerHash, [{ type: 'HashAlgorithmUpdate', algorithm: 'SM3' }])]);
    assert.equal(switched.blockHash.algorithm, 'SHA256', 'the switching block is hashed as before');
    assert.equal(ledger.tip.settings().crypto.hashAlgorithm, 'SM3');
    const oldHash = tx(ledger.ledgerHash, [registerUser(keyPair('u1'))]);
    const check = ledger.checkTransaction(oldHash);
    assert.equal(check.ok ? 'ok' : check.code, 'INVALID_ENDPOINT_SIGNATURE');
    const next = await commitBlock(ledger, [tx(ledger.ledgerHash, [registerUser(keyPair('u2'))], { hashAlgorithm: 'SM3' })]);
    assert.equal(next.results[0]?.state, 'SUCCESS');
    assert.equal(next.results[0]?.transactionHash.algorithm, 'SM3');
    assert.equal(next.blockHash.algorithm, 'SM3');
    assert.equal(next.header.previousHash?.toBase58(), switched.blockHash.toBase58());
    assert.equal(next.header.userRoot.algorithm, 'SHA256');
    assert.equal(ledger.blockByHash(next.blockHash)?.header.height, next.header.height);
  });

  test('RIPEMD160 cannot hash a ledger', async () => {
    const ledger = await newLedger();
    assert.equal(await run(ledger, [{ type: 'HashAlgorithmUpdate', algorithm: 'RIPEMD160' }]), 'UNSUPPORTED_HASH_ALGORITHM');
  });

  test('a registered participant joins the active set (and its hash) only in state CONSENSUS; the last one cannot leave', async () => {
    const ledger = await newLedger();
    const activeHash = (): string => ledger.tip.header.participantSetHash.toBase58();
    const genesisSet = activeHash();
    await setup(ledger, [{ type: 'ParticipantRegister', name: 'org-e', address: newcomer.address, pubKey: newcomer.publicKey }]);
    assert.equal(activeHash(), genesisSet);
    const registered = ledger.tip.state().participants().find((p) => p.address.equals(newcomer.address));
    assert.deepEqual([registered?.id, registered?.state], [4, 'READY']);
    await setup(ledger, [{ type: 'ParticipantStateUpdate', address: newcomer.address, state: 'CONSENSUS' }]);
    const expected = participantSetHash(suite, 'SHA256', { participants: ledger.tip.state().participants() });
    assert.equal(activeHash(), expected.toBase58());
    await setup(
      ledger,
      organisations.map((org) => ({ type: 'ParticipantStateUpdate' as const, address: org.keys.address, state: 'DEACTIVATED' as const })),
    );
    assert.equal(await run(ledger, [{ type: 'ParticipantStateUpdate', address: newcomer.address, state: 'DEACTIVATED' }]), 'ILLEGAL_ACCOUNT_STATE');
    assert.equal(await run(ledger, [{ type: 'ParticipantRegister', name: 'again', address: newcomer.address, pubKey: newcomer.publicKey }]), 'ACCOUNT_REGISTER_CONFLICT');
  });

  test('consensus settings change in the state; identities must match their keys', async () => {
    const ledger = await newLedger();
    await setup(ledger, [{ type: 'ConsensusSettingsUpdate', consensus: { provider: 'bft', properties: { f: '1' } } }]);
    assert.deepEqual(ledger.tip.settings().consensus, { provider: 'bft', properties: { f: '1' } });
    const user = keyPair('mismatched');
    assert.equal(await run(ledger, [{ type: 'UserRegister', address: user.address, pubKey: newcomer.publicKey }]), 'INVALID_OPERATION');
    assert.equal(await run(ledger, [registerUser(user), registerUser(user)]), 'ACCOUNT_REGISTER_CONFLICT');
    assert.equal(ledger.tip.state().user(user.address), undefined);
  });

  test('a revoked user cannot be restored', async () => {
    const ledger = await newLedger();
    const user = keyPair('revoked');
    await setup(ledger, [registerUser(user), { type: 'UserStateUpdate', address: user.address, state: 'REVOKE' }]);
    assert.equal(await run(ledger, [{ type: 'UserStateUpdate', address: user.address, state: 'NORMAL' }]), 'ILLEGAL_ACCOUNT_STATE');
  });
});
