import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoSuite, encryptPrivateKey, PrivKey, type HashDigest, type KeyPair } from '@jadechain/crypto';
import { Ledger, combineInit, createInitProposal, signInitProposal } from '@jadechain/ledger';
import { Router, TransportKey, connect, createNodeCredentials, type Connection } from '@jadechain/p2p';
import { LmdbStore } from '@jadechain/storage';
import { TransactionRequest, signHash, transactionHash, type Operation } from '@jadechain/types';
import { CHANNEL, ResultNotice, SubmitAck, SubmitBatch, jsonLogger, signSubmitBatch, type SubmitVerdict } from '@jadechain/service';
import { parsePeerConfig, startPeer, type PeerHandle } from '../src/index.js';

/**
 * Every transaction a peer admits is answered once, with its outcome or a drop and its code, and
 * no wait outlives it: a real peer (LMDB, TLS transport, worker threads) in this process, and a
 * gateway's side of the transport driven by hand. Blocks hold one transaction each, so that a
 * batch is still mostly in the mempool when the peer is told to stop.
 */
const PASSWORD = 'peer-results-test';

function keyPair(label: string): KeyPair {
  const privateKey = new PrivKey('ED25519', cryptoSuite.hash('SHA256', new TextEncoder().encode(`peer-results:${label}`)).raw);
  return { privateKey, publicKey: cryptoSuite.publicKeyOf(privateKey) };
}

const peerKey = keyPair('peer');
const userKey = keyPair('user');
const gatewayKey = keyPair('gateway');

interface Gateway {
  readonly connection: Connection;
  readonly notices: ResultNotice[];
  submit(transactions: readonly TransactionRequest[]): Promise<readonly SubmitVerdict[]>;
}

let dir: string;
let ledgerHash: HashDigest;
let ledgerPath: string;
let peer: PeerHandle;
let gateway: Gateway;
let nonce = 0;

async function createLedger(): Promise<void> {
  const proposal = createInitProposal({
    seed: new TextEncoder().encode('peer results test'),
    createdTime: BigInt(Date.now() - 1000),
    settings: {
      protocolVersion: 1,
      crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519'] },
      consensus: { provider: 'single', properties: {} },
      identityMode: 'KEYPAIR',
      rootCertificates: [],
      limits: { maxTransactionBytes: 64 * 1024, maxOperationsPerTransaction: 4, maxTransactionsPerBlock: 1, maxBlockBytes: 1 << 20, maxValueBytes: 1024 },
      timestampWindowMs: 600_000,
    },
    participants: [{ id: 0, name: 'peer-0', address: peerKey.publicKey.address(), pubKey: peerKey.publicKey, state: 'CONSENSUS' }],
    genesisUsers: [
      { pubKey: userKey.publicKey, roles: ['WRITER'], policy: 'UNION' },
      { pubKey: gatewayKey.publicKey, roles: ['GATEWAY'], policy: 'UNION' },
    ],
    roles: [
      { name: 'WRITER', ledgerPermissions: ['REGISTER_DATA_ACCOUNT'], transactionPermissions: ['DIRECT_OPERATION'] },
      { name: 'GATEWAY', ledgerPermissions: ['APPROVE_TX'], transactionPermissions: [] },
    ],
  });
  const genesis = combineInit(cryptoSuite, proposal, [signInitProposal(cryptoSuite, proposal, peerKey.privateKey)]);
  ledgerHash = genesis.ledgerHash;
  ledgerPath = join(dir, 'data', 'ledgers', ledgerHash.toBase58());
  mkdirSync(ledgerPath, { recursive: true });
  const store = LmdbStore.open(ledgerPath);
  await Ledger.initialize(store, genesis, { suite: cryptoSuite });
  await store.close();
}

async function startTestPeer(): Promise<void> {
  const keyFile = join(dir, 'peer.key.json');
  writeFileSync(keyFile, JSON.stringify(encryptPrivateKey(cryptoSuite, peerKey.privateKey, new TextEncoder().encode(PASSWORD), { scrypt: { N: 16, r: 8, p: 1 } })));
  const config = parsePeerConfig(
    {
      dataDir: 'data',
      ledgers: [{ hash: ledgerHash.toBase58() }],
      identity: { keyFile, password: { value: PASSWORD } },
      p2p: { host: '127.0.0.1', port: 0 },
      management: { host: '127.0.0.1', port: 0 },
      gateways: [{ publicKey: gatewayKey.publicKey.toBase58() }],
      mempool: { verifyWorkers: 1 },
    },
    dir,
  );
  peer = await startPeer(config, jsonLogger('peer', () => undefined));
}

async function connectGateway(): Promise<Gateway> {
  const notices: ResultNotice[] = [];
  const router = new Router().onMessage(CHANNEL.RESULT, (body) => {
    notices.push(ResultNotice.decode(body));
  });
  const now = Date.now();
  const credentials = createNodeCredentials({
    identityPrivateKey: gatewayKey.privateKey,
    transportKey: await TransportKey.generate('ED25519', 'peer-results-gateway'),
    role: 'GATEWAY',
    notBefore: now - 1000,
    notAfter: now + 3_600_000,
  });
  const connection = await connect({
    host: peer.p2pAddress.host,
    port: peer.p2pAddress.port,
    expectedIdentity: peerKey.publicKey,
    credentials,
    authorize: ({ role }) => role === 'PEER',
    router,
    logger: jsonLogger('p2p', () => undefined),
  });
  return {
    connection,
    notices,
    async submit(transactions) {
      const content = { ledgerHash, transactions: transactions.map((transaction) => TransactionRequest.encode(transaction)) };
      const ack = await connection.request(CHANNEL.SUBMIT, SubmitBatch.encode(signSubmitBatch(content, gatewayKey.privateKey)));
      return SubmitAck.decode(ack).verdicts;
    },
  };
}

/** Registers a fresh data account, signed by the user (`forged`: a signature over other bytes) and co-signed by the gateway. */
function transaction(label: string, forged = false, content = contentOf(label)): TransactionRequest {
  const hash = transactionHash(cryptoSuite, 'SHA256', content);
  const endpoint = forged
    ? { pubKey: userKey.publicKey, signature: cryptoSuite.sign(userKey.privateKey, new TextEncoder().encode('other bytes')) }
    : signHash(cryptoSuite, userKey.privateKey, hash);
  return { content, endpointSignatures: [endpoint], nodeSignatures: [signHash(cryptoSuite, gatewayKey.privateKey, hash)] };
}

function contentOf(label: string): TransactionRequest['content'] {
  const account = keyPair(`account:${label}`);
  const operation: Operation = { type: 'DataAccountRegister', address: account.publicKey.address(), pubKey: account.publicKey };
  return { ledgerHash, operations: [operation], timestamp: BigInt(Date.now()), nonce: new TextEncoder().encode(`peer-results-${++nonce}`) };
}

function hashText(request: TransactionRequest): string {
  return transactionHash(cryptoSuite, 'SHA256', request.content).toBase58();
}

/** Every answer the notices gave, by transaction hash: "COMMITTED" or the drop's code. */
function answers(notices: readonly ResultNotice[]): Map<string, string[]> {
  const byHash = new Map<string, string[]>();
  const add = (hash: HashDigest, answer: string): void => {
    const list = byHash.get(hash.toBase58()) ?? [];
    byHash.set(hash.toBase58(), [...list, answer]);
  };
  for (const notice of notices) {
    for (const outcome of notice.outcomes) add(outcome.transactionHash, 'COMMITTED');
    for (const dropped of notice.dropped) add(dropped.transactionHash, dropped.code);
  }
  return byHash;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(condition(), `timed out waiting for ${what}`);
}

async function waitingResults(): Promise<number> {
  const response = await fetch(`http://${peer.managementAddress.host}:${peer.managementAddress.port}/status`);
  const status = (await response.json()) as { ledgers: Array<{ waitingResults: number }> };
  return status.ledgers[0]?.waitingResults ?? -1;
}

describe('peer result waits', { timeout: 60_000 }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-peer-results-'));
    await createLedger();
    await startTestPeer();
    gateway = await connectGateway();
  });

  after(async () => {
    await peer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a copy refused for its signature does not strand a valid copy of the same transaction beside it', async () => {
    const content = contentOf('twin');
    const bad = transaction('twin', true, content);
    const good = transaction('twin', false, content);
    const verdicts = await gateway.submit([bad, good]);
    assert.deepEqual(verdicts.map((verdict) => [verdict.status, verdict.code]), [['REFUSED', 'INVALID_ENDPOINT_SIGNATURE'], ['ADMITTED', '']]);
    await until(() => answers(gateway.notices).has(hashText(good)), 'the valid copy\'s outcome');
    assert.deepEqual(answers(gateway.notices).get(hashText(good)), ['COMMITTED']);
    assert.equal(await waitingResults(), 0);
  });

  test('stopping the peer answers every admitted transaction, committed or dropped with CLOSED, before the connection closes', async () => {
    gateway.notices.length = 0;
    const batch = Array.from({ length: 40 }, (_, index) => transaction(`closing-${index}`));
    const verdicts = await gateway.submit(batch);
    assert.ok(verdicts.every((verdict) => verdict.status === 'ADMITTED'), JSON.stringify(verdicts.map((verdict) => verdict.code)));
    await peer.close();
    await gateway.connection.closed;
    const byHash = answers(gateway.notices);
    const closed = batch.map(hashText).filter((hash) => byHash.get(hash)?.[0] === 'CLOSED');
    for (const request of batch) {
      const answer = byHash.get(hashText(request));
      assert.ok(answer?.length === 1 && (answer[0] === 'COMMITTED' || answer[0] === 'CLOSED'), `${hashText(request)}: ${JSON.stringify(answer)}`);
    }
    // One transaction per block: the peer cannot have written forty blocks before the stop.
    assert.ok(closed.length > 0, 'some transactions were still in the mempool');
    const store = LmdbStore.open(ledgerPath);
    try {
      const ledger = Ledger.open(store, { suite: cryptoSuite });
      for (const request of batch) {
        const recorded = ledger.transaction(transactionHash(cryptoSuite, 'SHA256', request.content)) !== undefined;
        assert.equal(recorded, !closed.includes(hashText(request)), `${hashText(request)} recorded: ${recorded}`);
      }
    } finally {
      await store.close();
    }
  });
});
