import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Address, cryptoSuite } from '@jadechain/crypto';
import { BlockHeader, CommitCertificate, fromBase64, toBase64 } from '@jadechain/types';
import { ApiError, GatewayClient, ProofVerificationError, TransactionBuilder, Values, verifyKvProof, type KvProofResponse, type ProofFailure, type ProofTrust } from '../src/index.js';
import { startLocalNetwork, type LocalNetwork } from './local-network.js';

/**
 * KV proofs from a real peer through a real gateway, checked offline; every tampered part (value,
 * record, Merkle path, header, certificate, trust) is caught by its own check.
 */
let network: LocalNetwork;
let client: GatewayClient;
let trust: ProofTrust;
let account: string;
let proof: KvProofResponse;
let transactionHash: string;

type Mutable = Record<string, unknown>;

function tampered(change: (copy: Mutable) => void): unknown {
  const copy = structuredClone(proof) as unknown as Mutable;
  change(copy);
  return copy;
}

function rejects(response: unknown, failure: ProofFailure, trustUsed: ProofTrust = trust): void {
  assert.throws(
    () => verifyKvProof(response, trustUsed),
    (error: unknown) => error instanceof ProofVerificationError && error.code === 'INVALID_PROOF' && error.failure === failure,
    `expected ${failure}`,
  );
}

function flipLastByte(text: string): string {
  const bytes = fromBase64(text);
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
  return toBase64(bytes);
}

describe('KV proofs against a real network', { timeout: 120_000 }, () => {
  before(async () => {
    network = await startLocalNetwork();
    client = new GatewayClient(network.gatewayUrl);
    trust = { ledgerHash: network.ledgerHash, participants: [network.participant] };
    const other = cryptoSuite.generateKeyPair('ED25519');
    const data = cryptoSuite.generateKeyPair('ED25519');
    account = data.publicKey.address().toBase58();
    const request = new TransactionBuilder({ ledgerHash: network.ledgerHash })
      .registerDataAccount(data.publicKey)
      .registerDataAccount(other.publicKey)
      .setKv(data.publicKey.address(), 'greeting', Values.text('hello, chain'))
      .setKv(data.publicKey.address(), 'answer', Values.int64(42n))
      .sign(cryptoSuite, [network.adminKey]);
    const result = await client.submitAndWait(request);
    assert.equal(result.state, 'SUCCESS', JSON.stringify(result.raw));
    transactionHash = result.transactionHash;
    proof = await client.getKvProof(network.ledgerHash, account, 'greeting');
  });

  after(async () => network?.stop());

  test('a genuine proof verifies and yields the value, height and signer count', () => {
    const verified = verifyKvProof(proof, { ...trust, account, key: 'greeting' });
    assert.deepEqual(verified.entry?.value, { type: 'TEXT', value: 'hello, chain' });
    assert.equal(verified.entry?.version, 0n);
    assert.ok(verified.height >= 1n);
    assert.equal(verified.signers, 1);
    assert.equal(verified.blockHash.toBase58(), proof.block.hash);
  });

  test('absence is proven too: a missing key, and the account before it existed (genesis)', async () => {
    const missing = verifyKvProof(await client.getKvProof(network.ledgerHash, account, 'nothing-here'), trust);
    assert.equal(missing.entry, undefined);
    const genesis = verifyKvProof(await client.getKvProof(network.ledgerHash, account, 'greeting', { height: 0 }), { ...trust, height: 0 });
    assert.equal(genesis.entry, undefined);
    assert.equal(genesis.signers, 0);
  });

  test('a tampered value is rejected: in the readable entry, or in the proven record', () => {
    rejects(tampered((copy) => ((copy['entry'] as Mutable)['value'] = 'goodbye')), 'INCONSISTENT');
    rejects(tampered((copy) => ((copy['proof'] as { entry: Mutable }).entry['record'] = flipLastByte(proof.proof.entry?.record ?? ''))), 'MERKLE');
    rejects(tampered((copy) => (copy['entry'] = null)), 'INCONSISTENT');
  });

  test('a tampered Merkle proof is rejected', () => {
    const siblings = proof.proof.entry?.proof.siblings ?? [];
    const index = siblings.findIndex((sibling) => sibling !== null);
    assert.ok(index >= 0, 'two keys give the entry proof a sibling');
    rejects(
      tampered((copy) => {
        const path = ((copy['proof'] as { entry: Mutable }).entry['proof'] as { siblings: Array<string | null> }).siblings;
        path[index] = `${(path[index] ?? '').slice(0, 63)}${(path[index] ?? '').endsWith('0') ? '1' : '0'}`;
      }),
      'MERKLE',
    );
    rejects(tampered((copy) => ((copy['proof'] as Mutable)['account'] = proof.proof.entry)), 'MERKLE');
  });

  test('a tampered header is rejected: different bytes, or JSON that differs from the bytes', () => {
    const header = BlockHeader.decode(fromBase64(proof.headerBytes));
    const forged = { ...header, timestamp: header.timestamp + 1n };
    rejects(tampered((copy) => Object.assign(copy, { headerBytes: toBase64(BlockHeader.encode(forged)), header: BlockHeader.toJson(forged) })), 'BLOCK_HASH');
    rejects(tampered((copy) => ((copy['header'] as Mutable)['timestamp'] = '1')), 'INCONSISTENT');
    rejects(tampered((copy) => ((copy['block'] as Mutable)['hash'] = network.ledgerHash.toBase58())), 'INCONSISTENT');
  });

  test('a tampered or insufficient certificate is rejected', () => {
    const forgedBytes = flipLastByte(proof.certificateBytes ?? '');
    const forgedJson = CommitCertificate.toJson(CommitCertificate.decode(fromBase64(forgedBytes)));
    rejects(tampered((copy) => Object.assign(copy, { certificateBytes: forgedBytes, certificate: forgedJson })), 'CERTIFICATE');
    rejects(tampered((copy) => Object.assign(copy, { certificateBytes: null, certificate: null })), 'CERTIFICATE');
    const stranger = cryptoSuite.generateKeyPair('ED25519').publicKey;
    rejects(proof, 'CERTIFICATE', { ...trust, participants: [stranger] });
    rejects(proof, 'CERTIFICATE', { ...trust, quorum: 2 });
  });

  test('a proof of another ledger, account, key or height is rejected', () => {
    rejects(proof, 'WRONG_SUBJECT', { ...trust, ledgerHash: cryptoSuite.hash('SHA256', new Uint8Array([1])) });
    rejects(proof, 'WRONG_SUBJECT', { ...trust, key: 'answer' });
    rejects(proof, 'WRONG_SUBJECT', { ...trust, account: cryptoSuite.generateKeyPair('ED25519').publicKey.address() });
    rejects(proof, 'WRONG_SUBJECT', { ...trust, height: 999 });
    rejects(tampered((copy) => (copy['headerBytes'] = 'not base64!')), 'MALFORMED');
  });

  test('every query method reaches a real query path, with its parameters understood', async () => {
    const ledger = network.ledgerHash;
    const someone = cryptoSuite.generateKeyPair('ED25519').publicKey.address();
    const calls: Record<string, () => Promise<unknown>> = {
      ledgerCount: () => client.ledgerCount(),
      ledger: () => client.ledger(ledger),
      metadata: () => client.metadata(ledger),
      settings: () => client.settings(ledger),
      cryptoSettings: () => client.cryptoSettings(ledger),
      adminInfo: () => client.adminInfo(ledger),
      participants: () => client.participants(ledger),
      participantCount: () => client.participantCount(ledger),
      latestBlock: () => client.latestBlock(ledger),
      blockByHeight: () => client.block(ledger, 1),
      blockByHash: () => client.block(ledger, proof.block.hash),
      blocks: () => client.blocks(ledger, 2),
      count: () => client.count(ledger, 'transactions'),
      countAdded: () => client.count(ledger, 'dataAccounts', { added: true }),
      countInBlock: () => client.count(ledger, 'users', { block: 1, added: true }),
      transactions: () => client.transactions(ledger, 1, { fromIndex: 0, count: 5 }),
      blockTransactions: () => client.blockTransactions(ledger, proof.block.hash),
      transaction: () => client.transaction(ledger, transactionHash),
      transactionState: () => client.transactionState(ledger, transactionHash),
      users: () => client.users(ledger),
      user: () => client.user(ledger, someone),
      role: () => client.role(ledger, 'ADMIN'),
      userPrivileges: () => client.userPrivileges(ledger, someone),
      dataAccounts: () => client.dataAccounts(ledger, { count: 10 }),
      dataAccount: () => client.dataAccount(ledger, account),
      kvEntryCount: () => client.kvEntryCount(ledger, account),
      kvEntries: () => client.kvEntries(ledger, account),
      kvValues: () => client.kvValues(ledger, account, ['greeting', 'answer']),
      kvVersions: () => client.kvVersions(ledger, account, [{ key: 'greeting', versions: [0] }]),
      contracts: () => client.contracts(ledger),
      contract: () => client.contract(ledger, someone, { version: 0, compiled: true }),
      systemEventNames: () => client.systemEventNames(ledger),
      systemEvents: () => client.systemEvents(ledger, 'new_block_created', { fromSequence: 0, count: 2 }),
      latestSystemEvent: () => client.latestSystemEvent(ledger, 'new_block_created'),
      systemEventCount: () => client.systemEventCount(ledger, 'new_block_created'),
      eventAccounts: () => client.eventAccounts(ledger),
      eventAccount: () => client.eventAccount(ledger, someone),
      eventTopics: () => client.eventTopics(ledger, someone),
      events: () => client.events(ledger, someone, 'topic/with spaces'),
      latestEvent: () => client.latestEvent(ledger, someone, 'topic'),
      eventCount: () => client.eventCount(ledger, someone, 'topic'),
    };
    const misrouted: string[] = [];
    for (const [name, call] of Object.entries(calls)) {
      try {
        await call();
      } catch (error) {
        // Not found (1xxx) is a fine answer about a real path; a path or parameter problem is not.
        if (!(error instanceof ApiError) || typeof error.code !== 'number' || error.code >= 2000) misrouted.push(`${name}: ${String(error)}`);
      }
    }
    assert.deepEqual(misrouted, []);
    const values = await client.kvValues(ledger, account, ['answer', 'missing']);
    assert.deepEqual(values, [{ key: 'answer', version: 0, type: 'INT64', value: 42 }, { key: 'missing', version: -1, type: 'NIL' }]);
    assert.equal(await client.count(ledger, 'dataAccounts'), 2);
  });

  test('submitAndWait rides out a gateway that answers TIMEOUT by asking for the transaction by hash', async () => {
    const impatient = await network.startGateway('impatient', { timeouts: { commitWaitMs: 1 } });
    try {
      const impatientClient = new GatewayClient(impatient.url);
      const request = new TransactionBuilder({ ledgerHash: network.ledgerHash })
        .setKv(Address.fromBase58(proof.account), 'greeting', Values.text('hello again'), 0n)
        .sign(cryptoSuite, [network.adminKey]);
      const result = await impatientClient.submitAndWait(request, { timeoutMs: 30_000, pollIntervalMs: 50 });
      assert.equal(result.state, 'SUCCESS');
      const latest = verifyKvProof(await client.getKvProof(network.ledgerHash, account, 'greeting'), trust);
      assert.deepEqual(latest.entry?.value, { type: 'TEXT', value: 'hello again' });
      assert.equal(latest.entry?.version, 1n);
    } finally {
      await impatient.stop();
    }
  });
});
