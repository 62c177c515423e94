import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoSuite, type HashDigest } from '@jadechain/crypto';
import { TransactionRequest, transactionHash, verifyHashSignature } from '@jadechain/types';
import { NONCE_BYTES, SdkError, TransactionBuilder, Values, addSignatures } from '../src/index.js';

const ledgerHash: HashDigest = cryptoSuite.hash('SHA256', new TextEncoder().encode('a ledger'));

describe('TransactionBuilder', () => {
  test('signs the tagged transaction hash with every key, and the request survives JSON and binary', () => {
    const alice = cryptoSuite.generateKeyPair('ED25519');
    const bob = cryptoSuite.generateKeyPair('SM2');
    const account = cryptoSuite.generateKeyPair('ED25519').publicKey;
    const builder = new TransactionBuilder({ ledgerHash })
      .registerDataAccount(account)
      .setKv(account.address(), 'k', Values.int64(-5n), 3n)
      .setKv(account.address(), 'j', Values.json('{"a":1}'))
      .setKv(account.address(), 'b', Values.bytes(Uint8Array.of(1, 2)));
    const request = builder.sign(cryptoSuite, [alice.privateKey, bob.privateKey]);
    const hash = transactionHash(cryptoSuite, 'SHA256', request.content);
    assert.ok(hash.equals(builder.hash(cryptoSuite)));
    assert.equal(request.endpointSignatures.length, 2);
    for (const signature of request.endpointSignatures) assert.ok(verifyHashSignature(cryptoSuite, signature, hash));
    assert.deepEqual(request.endpointSignatures.map((s) => s.pubKey.toBase58()), [alice.publicKey, bob.publicKey].map((k) => k.toBase58()));
    assert.equal(request.content.nonce.length, NONCE_BYTES);
    assert.deepEqual(TransactionRequest.decode(TransactionRequest.encode(request)), request);
    assert.deepEqual(TransactionRequest.fromJsonText(TransactionRequest.toJsonText(request)), request);
    assert.equal(request.content.operations[1]?.type, 'KvSet');
  });

  test('identical operations in the same millisecond still make distinct transactions (random nonce)', () => {
    const account = cryptoSuite.generateKeyPair('ED25519').publicKey;
    const hashes = new Set<string>();
    for (let i = 0; i < 50; i++) {
      hashes.add(new TransactionBuilder({ ledgerHash, timestamp: 1n }).registerDataAccount(account).hash(cryptoSuite).toBase58());
    }
    assert.equal(hashes.size, 50);
  });

  test('a given timestamp and nonce give a reproducible hash, and the SM3 algorithm is honoured', () => {
    const account = cryptoSuite.generateKeyPair('SM2').publicKey;
    const make = (): TransactionBuilder =>
      new TransactionBuilder({ ledgerHash, hashAlgorithm: 'SM3', timestamp: 1_700_000_000_000n, nonce: new Uint8Array(8) }).registerUser(account);
    const first = make().hash(cryptoSuite);
    assert.equal(first.algorithm, 'SM3');
    assert.ok(first.equals(make().hash(cryptoSuite)));
  });

  test('every operation helper yields an operation the codec accepts', () => {
    const key = (): ReturnType<typeof cryptoSuite.generateKeyPair>['publicKey'] => cryptoSuite.generateKeyPair('ED25519').publicKey;
    const address = key().address();
    const builder = new TransactionBuilder({ ledgerHash })
      .registerUser(key(), 'PEM')
      .updateUserState(address, 'FREEZE')
      .updateUserCertificate(address, 'PEM')
      .registerDataAccount(key())
      .setKv(address, 'k', Values.text('v'))
      .deployContract(key(), Uint8Array.of(1), 'JAVASCRIPT')
      .invokeContract(address, 'run', [Values.boolean(true), Values.timestamp(1n), Values.nil()], 0n)
      .updateContractState(address, 'NORMAL')
      .registerParticipant('p', key())
      .updateParticipantState(address, 'DEACTIVATED')
      .configureRoles([
        {
          name: 'WRITER',
          enableLedgerPermissions: ['WRITE_DATA_ACCOUNT'],
          disableLedgerPermissions: [],
          enableTransactionPermissions: ['DIRECT_OPERATION'],
          disableTransactionPermissions: [],
        },
      ])
      .authorizeUsers([{ userAddresses: [address], policy: 'UNION', authorizeRoles: ['WRITER'], unauthorizeRoles: [] }])
      .registerEventAccount(key())
      .publishEvent(address, 'topic', Values.text('hello'))
      .updateConsensusSettings({ provider: 'single', properties: {} })
      .updateHashAlgorithm('SM3')
      .setAccountPermission(address, 'DATA', 0o744, { role: 'WRITER' });
    const request = builder.sign(cryptoSuite, [cryptoSuite.generateKeyPair('ED25519').privateKey]);
    const types = request.content.operations.map((op) => op.type);
    assert.equal(new Set(types).size, 17);
    assert.deepEqual(TransactionRequest.decode(TransactionRequest.encode(request)).content.operations, request.content.operations);
  });

  test('refuses an empty transaction, no signer, and operations after the content is fixed', () => {
    const key = cryptoSuite.generateKeyPair('ED25519');
    assert.throws(() => new TransactionBuilder({ ledgerHash }).content(), (e: unknown) => e instanceof SdkError && e.code === 'BAD_ARGUMENT');
    const builder = new TransactionBuilder({ ledgerHash }).registerUser(key.publicKey);
    assert.throws(() => builder.sign(cryptoSuite, []), SdkError);
    builder.content();
    assert.throws(() => builder.registerUser(key.publicKey), /already fixed/);
  });

  test('addSignatures lets a second user approve a request signed elsewhere', () => {
    const [first, second] = [cryptoSuite.generateKeyPair('ED25519'), cryptoSuite.generateKeyPair('ECDSA-P256')];
    const request = new TransactionBuilder({ ledgerHash }).registerUser(second.publicKey).sign(cryptoSuite, [first.privateKey]);
    const both = addSignatures(cryptoSuite, 'SHA256', request, [second.privateKey]);
    const hash = transactionHash(cryptoSuite, 'SHA256', both.content);
    assert.equal(both.endpointSignatures.length, 2);
    assert.ok(both.endpointSignatures.every((s) => verifyHashSignature(cryptoSuite, s, hash)));
  });
});
