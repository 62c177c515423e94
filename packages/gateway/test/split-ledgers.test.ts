import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PeerNetwork, eventually, genesisBlock, writerKey } from './peer-network.js';
import { hashOf, jsonBody, keyPair, signedTransaction } from './network.js';

/**
 * A gateway in front of two single-mode peers that hold different ledgers. Not a BFT network
 * (bft-gateway.test.ts is): it checks what the combining and routing rules do when a peer does
 * not hold the ledger at all — its UNKNOWN_LEDGER answer neither decides nor blocks a
 * submission, its "not found" answers are asked again of the other peer, and readiness and
 * GET /network/peers are per ledger.
 */
const keys = [keyPair('split-peer-a'), keyPair('split-peer-b')];
let network: PeerNetwork;
let ledgers: string[];
let accounts = 0;

async function submit(ledgerIndex: number): Promise<{ status: number; body: Record<string, unknown>; hash: string }> {
  accounts += 1;
  const ledger = network.plans[ledgerIndex]?.genesis.ledgerHash;
  assert.ok(ledger !== undefined);
  const account = keyPair(`split-account-${accounts}`);
  const request = signedTransaction(ledger, [{ type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey }], writerKey);
  const response = await fetch(`${network.base}/ledgers/${ledger.toBase58()}/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonBody(request) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, hash: hashOf(request).toBase58() };
}

async function read(path: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${network.base}${path}`)).json()) as Record<string, unknown>;
}

describe('a gateway in front of peers holding different ledgers', { timeout: 60_000 }, () => {
  before(async () => {
    network = await PeerNetwork.create(keys.map((key, index) => ({ key, genesis: genesisBlock(`split ledger ${index}`, [key], 'single'), protocol: 'single' })));
    ledgers = network.plans.map((plan) => plan.genesis.ledgerHash.toBase58());
    await network.startPeer(0);
    await network.startPeer(1);
    await network.startGateway(5_000);
    await eventually('the gateway ready', async () => (await fetch(`${network.base}/ready`)).status === 200);
  });

  after(async () => network.close());

  test('each ledger commits through the peer that holds it, and every read of it finds it', async () => {
    for (const ledgerIndex of [0, 1, 0, 1]) {
      const { status, body, hash } = await submit(ledgerIndex);
      assert.equal(status, 200, JSON.stringify(body));
      // Round robin would send every other read to the peer without the ledger.
      for (let turn = 0; turn < 4; turn++) {
        const answer = await read(`/ledgers/${ledgers[ledgerIndex] ?? ''}/txs/hash/${hash}`);
        assert.equal(answer['success'], true, JSON.stringify(answer));
      }
    }
  });

  test('GET /network/peers has one validator per ledger: n 1, f 0, quorum 1', async () => {
    await eventually('both ledgers polled', async () => ((await read('/network/peers'))['data'] as { ledgers: unknown[] }).ledgers.length === 2);
    const data = (await read('/network/peers'))['data'] as { ledgers: Array<{ ledgerHash: string; n: number; f: number; quorum: number; validators: string[]; live: number }> };
    const byLedger = new Map(data.ledgers.map((entry) => [entry.ledgerHash, entry]));
    for (const [index, ledger] of ledgers.entries()) {
      const entry = byLedger.get(ledger);
      assert.deepEqual([entry?.n, entry?.f, entry?.quorum, entry?.live], [1, 0, 1, 1]);
      assert.deepEqual(entry?.validators, [keys[index]?.publicKey.toBase58()]);
    }
  });

  test('without the only peer of one ledger the gateway is not ready, and that ledger cannot be submitted to', async () => {
    await network.stopPeer(1);
    await eventually('the gateway not ready', async () => (await fetch(`${network.base}/ready`)).status === 503);
    const refused = await submit(1);
    assert.equal(refused.status, 404, JSON.stringify(refused.body));
    assert.match(String((refused.body['error'] as { errorMessage: string }).errorMessage), /^UNKNOWN_LEDGER:/);
    assert.equal((await submit(0)).status, 200, 'the other ledger still commits');
  });
});
