import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cryptoSuite } from '@jadechain/crypto';
import { TransactionRequest, transactionHash } from '@jadechain/types';
import { ApiError, GatewayClient, SdkError, SubmitTimeoutError, TransactionBuilder } from '../src/index.js';

/**
 * A small server speaking JD Chain's envelope, standing in for the gateway's HTTP contract: the
 * end-to-end tests of packages/cli run the SDK against the real gateway process.
 */
const ledgerHash = cryptoSuite.hash('SHA256', new TextEncoder().encode('ledger'));
const ledger = ledgerHash.toBase58();
let lastSubmitted: TransactionRequest | undefined;

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let body = '';
  for await (const chunk of req) body += String(chunk);
  if (req.method === 'GET' && url.pathname === '/ledgers') return reply(res, 200, { success: true, data: [ledger] });
  if (url.pathname === `/ledgers/${ledger}/accounts`) {
    return reply(res, 200, { success: true, data: { fromIndex: url.searchParams.get('fromIndex'), count: url.searchParams.get('count') } });
  }
  if (url.pathname === '/ledgers/unknown') return reply(res, 200, { success: false, error: { errorCode: 1001, errorMessage: 'no such ledger' } });
  if (url.pathname === '/not-json') return reply(res, 500, 'oops');
  if (url.pathname === '/no-envelope') return reply(res, 200, { hello: 1 });
  if (req.method === 'POST' && url.pathname === `/ledgers/${ledger}/txs`) {
    const request = TransactionRequest.fromJsonText(body);
    lastSubmitted = request;
    const hash = transactionHash(cryptoSuite, 'SHA256', request.content).toBase58();
    const first = request.content.operations[0];
    if (first?.type === 'UserRegister') return reply(res, 202, { success: false, error: { errorCode: 2020, errorMessage: 'TIMEOUT' }, data: { transactionHash: hash } });
    if (first?.type === 'EventAccountRegister') return reply(res, 400, { success: false, error: { errorCode: 'INVALID_SIGNATURE', errorMessage: 'bad' } });
    // The shape of packages/gateway's answer to a committed transaction.
    return reply(res, 200, { success: true, data: { transactionHash: hash, blockHeight: 7, executionState: 'SUCCESS', success: true } });
  }
  return reply(res, 404, { success: false, error: { errorCode: 4040, errorMessage: 'no such path' } });
}

describe('GatewayClient against an envelope-speaking server', () => {
  let server: Server;
  let client: GatewayClient;
  before(async () => {
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new GatewayClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('ledgers() decodes the hashes and query() passes parameters', async () => {
    const ledgers = await client.ledgers();
    assert.equal(ledgers.length, 1);
    assert.ok(ledgers[0]?.equals(ledgerHash));
    assert.deepEqual(await client.query(`/ledgers/${ledger}/accounts`, { fromIndex: 2, count: 5n }), { fromIndex: '2', count: '5' });
  });

  test('an application error with HTTP 200 becomes an ApiError with its code; so does a 404', async () => {
    await assert.rejects(client.query('/ledgers/unknown'), (e: unknown) => e instanceof ApiError && e.code === 1001 && e.httpStatus === 200 && e.message === 'no such ledger');
    await assert.rejects(client.query('/nowhere'), (e: unknown) => e instanceof ApiError && e.code === 4040 && e.httpStatus === 404);
  });

  test('answers without the envelope and unreachable gateways are typed errors', async () => {
    await assert.rejects(client.query('/not-json'), (e: unknown) => e instanceof SdkError && e.code === 'BAD_RESPONSE');
    await assert.rejects(client.query('/no-envelope'), (e: unknown) => e instanceof SdkError && e.code === 'BAD_RESPONSE');
    const nowhere = new GatewayClient('http://127.0.0.1:1', { requestTimeoutMs: 2000 });
    await assert.rejects(nowhere.ledgers(), (e: unknown) => e instanceof SdkError && e.code === 'UNREACHABLE');
  });

  test('submit() posts the JSON request and returns the recorded result, a typed timeout, or the refusal', async () => {
    const key = cryptoSuite.generateKeyPair('ED25519');
    const committed = new TransactionBuilder({ ledgerHash }).registerDataAccount(key.publicKey).sign(cryptoSuite, [key.privateKey]);
    const result = await client.submit(committed);
    assert.deepEqual(lastSubmitted, committed);
    assert.equal(result.state, 'SUCCESS');
    assert.equal(result.blockHeight, 7);
    assert.equal(result.transactionHash, transactionHash(cryptoSuite, 'SHA256', committed.content).toBase58());

    const slow = new TransactionBuilder({ ledgerHash }).registerUser(key.publicKey).sign(cryptoSuite, [key.privateKey]);
    const slowHash = transactionHash(cryptoSuite, 'SHA256', slow.content).toBase58();
    await assert.rejects(client.submit(slow), (e: unknown) => e instanceof SubmitTimeoutError && e.code === 'TIMEOUT' && e.transactionHash === slowHash);

    const refused = new TransactionBuilder({ ledgerHash }).registerEventAccount(key.publicKey).sign(cryptoSuite, [key.privateKey]);
    await assert.rejects(client.submit(refused), (e: unknown) => e instanceof ApiError && e.code === 'INVALID_SIGNATURE' && e.httpStatus === 400);
  });
});
