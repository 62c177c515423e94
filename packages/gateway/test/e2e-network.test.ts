import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { cryptoSuite } from '@jadechain/crypto';
import { TransactionRequest, type Operation } from '@jadechain/types';
import {
  createNetwork,
  gatewayKey,
  hashOf,
  jsonBody,
  keyPair,
  NodeProcess,
  signedTransaction,
  strangerKey,
  waitFor,
  type Network,
} from './network.js';

/**
 * One peer and three gateways as real processes on loopback: submissions in JSON and binary,
 * queries, every bad-input case with its code, TIMEOUT and asking later, a gateway the ledger
 * does not authorise, and a crash (SIGKILL) and restart of both processes losing nothing
 * acknowledged.
 */
interface Envelope {
  readonly success: boolean;
  readonly data?: Record<string, unknown>;
  readonly error?: { readonly errorCode: number; readonly errorMessage: string };
}

let network: Network;
let peer: NodeProcess;
let gateway: NodeProcess;
let base: string;
const acknowledged: Array<{ hash: string; height: number }> = [];

async function call(url: string, init?: RequestInit): Promise<{ status: number; body: Envelope }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as Envelope };
}

function postJson(url: string, body: string): Promise<{ status: number; body: Envelope }> {
  return call(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

function registerAccount(label: string): { request: TransactionRequest; address: string } {
  const account = keyPair(label);
  const operation: Operation = { type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey };
  return { request: signedTransaction(network.ledgerHash, [operation]), address: account.address.toBase58() };
}

async function startPeerAndGateway(): Promise<void> {
  peer = new NodeProcess('peer', network.peerConfig);
  await waitFor(`http://127.0.0.1:${network.peerManagementPort}/health`, (body) => body['status'] === 'ok', peer);
  const { file, port } = await network.gatewayConfig('gateway', gatewayKey, 15_000);
  gateway = new NodeProcess('gateway', file);
  base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health`, (body) => body['status'] === 'ok', gateway);
}

function expectCode(answer: { status: number; body: Envelope }, status: number, code: string): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.success, false);
  assert.ok(answer.body.error?.errorMessage.startsWith(`${code}:`), answer.body.error?.errorMessage);
}

describe('peer and gateway processes', { timeout: 90_000 }, () => {
  before(async () => {
    network = await createNetwork();
    await startPeerAndGateway();
  });

  after(async () => {
    await Promise.all([gateway?.kill(), peer?.kill()]);
    rmSync(network.dir, { recursive: true, force: true });
  });

  test('a JSON submission answers with its committed result, and a resubmission with the same record', async () => {
    const { request } = registerAccount('account-json');
    const answer = await postJson(`${base}/ledgers/${network.ledgerHash.toBase58()}/txs`, jsonBody(request));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.data?.['executionState'], 'SUCCESS');
    assert.equal(answer.body.data?.['transactionHash'], hashOf(request).toBase58());
    const height = answer.body.data?.['blockHeight'] as number;
    acknowledged.push({ hash: hashOf(request).toBase58(), height });
    const again = await postJson(`${base}/ledgers/${network.ledgerHash.toBase58()}/txs`, jsonBody(request));
    assert.equal(again.status, 200);
    assert.equal(again.body.data?.['blockHeight'], height);
  });

  test('a canonical binary submission is committed and can be read back through the query paths', async () => {
    const { request } = registerAccount('account-binary');
    const answer = await call(`${base}/ledgers/${network.ledgerHash.toBase58()}/txs/binary`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from(TransactionRequest.encode(request)),
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    acknowledged.push({ hash: hashOf(request).toBase58(), height: answer.body.data?.['blockHeight'] as number });
    const state = await call(`${base}/ledgers/${network.ledgerHash.toBase58()}/txs/state/${hashOf(request).toBase58()}`);
    assert.equal(state.status, 200);
    assert.deepEqual(state.body, { success: true, data: 'SUCCESS' });
    const ledgers = await call(`${base}/ledgers`);
    assert.deepEqual(ledgers.body.data, [network.ledgerHash.toBase58()]);
  });

  test('application errors of queries answer 200 with success:false, as JD Chain does', async () => {
    const unknown = cryptoSuite.hash('SHA256', new TextEncoder().encode('nothing')).toBase58();
    const answer = await call(`${base}/ledgers/${network.ledgerHash.toBase58()}/txs/hash/${unknown}`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.success, false);
  });

  test('every bad input answers its own code and leaves the processes running', async () => {
    const ledger = network.ledgerHash.toBase58();
    const url = `${base}/ledgers/${ledger}/txs`;
    expectCode(await postJson(url, '{"content": '), 400, 'MALFORMED_JSON');
    expectCode(await postJson(url, JSON.stringify({ padding: 'x'.repeat(200 * 1024) })), 413, 'BODY_TOO_LARGE');
    expectCode(await postJson(`${base}/ledgers/not-base58-0OIl/txs`, jsonBody(registerAccount('a1').request)), 400, 'BAD_BASE58');
    const json = TransactionRequest.toJson(registerAccount('a2').request) as { content: { operations: Array<Record<string, unknown>> } };
    const operation = json.content.operations[0] as Record<string, unknown>;
    operation['type'] = 'TeleportEverything';
    expectCode(await postJson(url, JSON.stringify(json)), 400, 'UNKNOWN_OPERATION');
    const forged = registerAccount('a3').request;
    const other = registerAccount('a4').request;
    const bad = { ...forged, endpointSignatures: other.endpointSignatures };
    expectCode(await postJson(url, jsonBody(bad)), 400, 'INVALID_ENDPOINT_SIGNATURE');
    expectCode(await postJson(url, jsonBody({ ...forged, endpointSignatures: [] })), 400, 'NO_ENDPOINT_SIGNATURE');
    const elsewhere = cryptoSuite.hash('SHA256', new TextEncoder().encode('another ledger'));
    const foreign = signedTransaction(elsewhere, [{ type: 'DataAccountRegister', address: keyPair('a5').address, pubKey: keyPair('a5').publicKey }]);
    expectCode(await postJson(url, jsonBody(foreign)), 400, 'WRONG_LEDGER');
    expectCode(await postJson(`${base}/ledgers/${elsewhere.toBase58()}/txs`, jsonBody(foreign)), 404, 'UNKNOWN_LEDGER');
    const tooBig: Operation = { type: 'KvSet', account: keyPair('a6').address, writes: [{ key: 'k', value: { type: 'TEXT', value: 'v'.repeat(5000) }, expectedVersion: -1n }] };
    expectCode(await postJson(url, jsonBody(signedTransaction(network.ledgerHash, [tooBig]))), 400, 'REFUSED_BY_PEER');
    expectCode(await call(`${base}/nowhere`), 404, 'NO_SUCH_PATH');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /jadechain_gateway_answers_total\{code="MALFORMED_JSON"\} 1/);
    assert.match(metrics, /jadechain_gateway_answers_total\{code="REFUSED_BY_PEER"\} 1/);
    assert.equal((await call(`${base}/health`)).status, 200);
  });

  test('a gateway the ledger does not authorise is refused by the peer with UNAUTHORIZED_GATEWAY', async () => {
    const { file, port } = await network.gatewayConfig('stranger', strangerKey, 5_000);
    const stranger = new NodeProcess('gateway', file);
    try {
      await waitFor(`http://127.0.0.1:${port}/health`, (body) => body['status'] === 'ok', stranger);
      const answer = await postJson(`http://127.0.0.1:${port}/ledgers/${network.ledgerHash.toBase58()}/txs`, jsonBody(registerAccount('a7').request));
      expectCode(answer, 502, 'UNAUTHORIZED_GATEWAY');
      const peerMetrics = await (await fetch(`http://127.0.0.1:${network.peerManagementPort}/metrics`)).text();
      assert.match(peerMetrics, /jadechain_peer_batches_rejected_total\{code="UNAUTHORIZED_GATEWAY"\} 1/);
    } finally {
      await stranger.kill();
    }
  });

  test('a transaction too large for one batch to the peers is refused TRANSACTION_TOO_LARGE by the gateway, which stays up', async () => {
    const { file, port } = await network.gatewayConfig('roomy', gatewayKey, 5_000, 16 * 1024 * 1024);
    const roomy = new NodeProcess('gateway', file);
    try {
      await waitFor(`http://127.0.0.1:${port}/health`, (body) => body['status'] === 'ok', roomy);
      const huge: Operation = { type: 'KvSet', account: keyPair('a8').address, writes: [{ key: 'k', value: { type: 'BYTES', value: new Uint8Array(4_200_000) }, expectedVersion: -1n }] };
      const body = TransactionRequest.encode(signedTransaction(network.ledgerHash, [huge]));
      const answer = await call(`http://127.0.0.1:${port}/ledgers/${network.ledgerHash.toBase58()}/txs/binary`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.from(body),
      });
      expectCode(answer, 413, 'TRANSACTION_TOO_LARGE');
      const next = await postJson(`http://127.0.0.1:${port}/ledgers/${network.ledgerHash.toBase58()}/txs`, jsonBody(registerAccount('a9').request));
      assert.equal(next.status, 200, JSON.stringify(next.body));
    } finally {
      await roomy.kill();
    }
  });

  test('a submission that outlasts the wait answers 202 TIMEOUT with the hash (or, if it committed meanwhile, its record), and commits anyway', async () => {
    // With a 1 ms wait the gateway gives up waiting at once, then looks the transaction up once on
    // the peer before answering: depending on how fast the peer commits, that look-up finds the
    // record (200) or not yet (202 TIMEOUT). Both are correct; what must hold is that each answer
    // names the transaction and that every one of them commits.
    const { file, port } = await network.gatewayConfig('impatient', gatewayKey, 1);
    const impatient = new NodeProcess('gateway', file);
    try {
      await waitFor(`http://127.0.0.1:${port}/health`, (body) => body['status'] === 'ok', impatient);
      const requests = Array.from({ length: 8 }, (_, i) => registerAccount(`account-timeout-${i}`).request);
      const answers = await Promise.all(
        requests.map((request) => postJson(`http://127.0.0.1:${port}/ledgers/${network.ledgerHash.toBase58()}/txs`, jsonBody(request))),
      );
      answers.forEach((answer, i) => {
        const hash = hashOf(requests[i]!).toBase58();
        if (answer.status === 202) {
          expectCode(answer, 202, 'TIMEOUT');
          assert.equal(answer.body.data?.['transactionHash'], hash);
        } else {
          assert.equal(answer.status, 200, JSON.stringify(answer.body));
          assert.equal(answer.body.data?.['transactionHash'], hash);
          assert.equal(answer.body.data?.['executionState'], 'SUCCESS');
        }
      });
      for (const request of requests) {
        await waitFor(`${base}/ledgers/${network.ledgerHash.toBase58()}/txs/state/${hashOf(request).toBase58()}`, (body) => body['data'] === 'SUCCESS');
      }
    } finally {
      await impatient.kill();
    }
  });

  test('after both processes crash and restart, every acknowledged transaction is still recorded', async () => {
    const { request } = registerAccount('account-before-crash');
    const answer = await postJson(`${base}/ledgers/${network.ledgerHash.toBase58()}/txs`, jsonBody(request));
    assert.equal(answer.status, 200);
    acknowledged.push({ hash: hashOf(request).toBase58(), height: answer.body.data?.['blockHeight'] as number });
    await Promise.all([gateway.kill(), peer.kill()]);
    await startPeerAndGateway();
    for (const { hash, height } of acknowledged) {
      const found = await call(`${base}/ledgers/${network.ledgerHash.toBase58()}/txs/state/${hash}`);
      assert.deepEqual(found.body, { success: true, data: 'SUCCESS' }, `${hash} at height ${height}`);
    }
    const after = registerAccount('account-after-restart').request;
    const next = await postJson(`${base}/ledgers/${network.ledgerHash.toBase58()}/txs`, jsonBody(after));
    assert.equal(next.status, 200, JSON.stringify(next.body));
    assert.ok((next.body.data?.['blockHeight'] as number) > Math.max(...acknowledged.map((entry) => entry.height)));
  });

  test('SIGTERM stops both processes in order with exit code 0', async () => {
    assert.equal(await gateway.stop(), 0, gateway.output.join(''));
    assert.equal(await peer.stop(), 0, peer.output.join(''));
  });
});
