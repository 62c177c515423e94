import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fastify from 'fastify';
import { registerQueryRoutes } from '../src/query/index.js';
import { bob, buildFixture, contract, dataAccount, get } from './query-fixture.js';
import type { Fixture } from './query-fixture.js';

let fixture: Fixture;
let base: string;
before(async () => {
  fixture = await buildFixture();
  base = `/ledgers/${fixture.ledger.ledgerHash.toBase58()}`;
});

/** Asserts an answer is a failure with this HTTP status and errorCode. */
function fails(pathAndQuery: string, status: number, errorCode: number): void {
  const answer = get(fixture.service, pathAndQuery);
  assert.equal(answer.status, status, `${pathAndQuery}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.success, false);
  if (!answer.body.success) {
    assert.equal(answer.body.error.errorCode, errorCode, answer.body.error.errorMessage);
    assert.ok(answer.body.error.errorMessage.length > 0);
  }
}

// A valid hash that is no ledger here: the hash of block 1.
const otherHash = () => fixture.blocks[0]?.blockHash.toBase58() ?? '';

describe('application errors answer HTTP 200 with success:false', () => {
  test('unknown ledger', () => {
    fails(`/ledgers/${otherHash()}`, 200, 1001);
    fails(`/ledgers/${otherHash()}/blocks/latest`, 200, 1001);
  });

  test('unknown block by height (past the tip) and by hash', () => {
    fails(`${base}/blocks/height/6`, 200, 1002);
    fails(`${base}/blocks/height/99/txs/count`, 200, 1002);
    fails(`${base}/blocks/hash/${fixture.blocks[0]?.results[0]?.transactionHash.toBase58() ?? ''}`, 200, 1002);
    fails(`${base}/proofs/kv?account=${dataAccount.address.toBase58()}&key=k1&height=6`, 200, 1002);
  });

  test('unknown transaction', () => {
    fails(`${base}/txs/hash/${otherHash()}`, 200, 1003);
    fails(`${base}/txs/state/${otherHash()}`, 200, 1003);
  });

  test('unknown accounts of every kind, role and system event', () => {
    const nobody = bob.address.toBase58();
    fails(`${base}/users/address/${nobody}`, 200, 1004);
    fails(`${base}/accounts/address/${nobody}`, 200, 1004);
    fails(`${base}/accounts/address/${nobody}/entries`, 200, 1004);
    fails(`${base}/accounts/address/${nobody}/entries/count`, 200, 1004);
    fails(`${base}/accounts/${nobody}/entries?keys=a`, 200, 1004);
    fails(`${base}/contracts/address/${nobody}`, 200, 1004);
    fails(`${base}/events/user/accounts/${nobody}`, 200, 1004);
    fails(`${base}/events/user/accounts/${nobody}/names/x`, 200, 1004);
    fails(`${base}/authorization/role/NOBODY`, 200, 1005);
    fails(`${base}/events/system/names/block_deleted`, 200, 1007);
  });
});

describe('malformed requests answer 4xx', () => {
  test('bad base58 in ledger, block, transaction hashes and addresses', () => {
    fails('/ledgers/not-base58!', 400, 4001);
    fails('/ledgers/0OIl', 400, 4001);
    fails(`${base}/blocks/hash/abc`, 400, 4001);
    fails(`${base}/txs/hash/${'1'.repeat(10)}`, 400, 4001);
    fails(`${base}/users/address/LdeNotAnAddress`, 400, 4002);
    const address = dataAccount.address.toBase58();
    // One character changed breaks the checksum.
    fails(`${base}/accounts/address/${address.slice(0, -1)}${address.endsWith('2') ? '3' : '2'}`, 400, 4002);
    fails(`${base}/authorization/user/%20`, 400, 4002);
  });

  test('bad numbers: heights, fromIndex, count, numOfBlocks, versions', () => {
    fails(`${base}/blocks/height/-1`, 400, 4003);
    fails(`${base}/blocks/height/1.5`, 400, 4003);
    fails(`${base}/blocks/height/1e3`, 400, 4003);
    fails(`${base}/blocks/height/99999999999999999999`, 400, 4003);
    fails(`${base}/users?fromIndex=-1`, 400, 4003);
    fails(`${base}/users?count=ten`, 400, 4003);
    fails(`${base}/blocks?numOfBlocks=x`, 400, 4003);
    fails(`${base}/contracts/address/${contract.address.toBase58()}/version/-2`, 400, 4003);
    fails(`${base}/proofs/kv?account=${dataAccount.address.toBase58()}&key=k&height=01`, 400, 4003);
  });

  test('missing or invalid parameters and bodies', () => {
    const account = `${base}/accounts/${dataAccount.address.toBase58()}`;
    fails(`${account}/entries`, 400, 4004);
    fails(`${base}/proofs/kv?key=k1`, 400, 4004);
    fails(`${base}/authorization/role/${'R'.repeat(21)}`, 400, 4004);
    fails(`${base}/events/user/accounts/%E0%A4%A/names`, 400, 4004);
    const badBodies: unknown[] = [undefined, [], { data: 'k' }, { data: [{ key: 'k' }] }, { data: [{ key: 'k', version: [-1] }] }, { data: [{ key: 'k', version: Array.from({ length: 101 }, (_, i) => i) }] }];
    for (const body of badBodies) {
      const answer = fixture.service.handle({ method: 'POST', path: `${account}/entries-version`, query: {}, body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.success ? 0 : answer.body.error.errorCode, 4005);
    }
  });

  test('unknown paths are 404 and POST where only GET is served is 405', () => {
    fails('/ledgers/x/y/z/w/v', 404, 4040);
    fails('/nothing', 404, 4040);
    const answer = fixture.service.handle({ method: 'POST', path: `${base}/blocks/latest`, query: {} });
    assert.equal(answer.status, 405);
  });
});

describe('Fastify routes', () => {
  test('serve the same envelopes over HTTP, with form and JSON bodies, under a prefix', async () => {
    const app = fastify();
    registerQueryRoutes(app, fixture.service, { prefix: '/api' });
    await app.ready();
    try {
      const ledgers = await app.inject({ method: 'GET', url: '/api/ledgers' });
      assert.equal(ledgers.statusCode, 200);
      assert.deepEqual(ledgers.json(), { success: true, data: [fixture.ledger.ledgerHash.toBase58()] });
      const page = await app.inject({ method: 'GET', url: `/api${base}/blocks/height/5/txs/additional-txs?fromIndex=3&count=2&count=9` });
      assert.equal((page.json() as { data: unknown[] }).data.length, 2);
      const account = `/api${base}/accounts/${dataAccount.address.toBase58()}`;
      const form = await app.inject({ method: 'POST', url: `${account}/entries`, payload: 'keys=k1,none', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.deepEqual((form.json() as { data: unknown[] }).data, [{ key: 'k1', version: 2, type: 'TEXT', value: 'three' }, { key: 'none', version: -1, type: 'NIL' }]);
      const versions = await app.inject({ method: 'POST', url: `${account}/entries-version`, payload: { data: [{ key: 'k1', version: [0] }] } });
      assert.deepEqual((versions.json() as { data: unknown[] }).data, [{ key: 'k1', version: 0, type: 'TEXT', value: 'one' }]);
      const malformed = await app.inject({ method: 'POST', url: `${account}/entries-version`, payload: '{"data": [', headers: { 'content-type': 'application/json' } });
      assert.equal(malformed.statusCode, 400);
      assert.equal((malformed.json() as { error: { errorCode: number } }).error.errorCode, 4005);
      const unknown = await app.inject({ method: 'GET', url: `/api/ledgers/${otherHash()}` });
      assert.equal(unknown.statusCode, 200);
      assert.equal((unknown.json() as { success: boolean }).success, false);
    } finally {
      await app.close();
    }
  });
});
