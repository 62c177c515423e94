import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Address } from '@jadechain/crypto';
import { verifyKvEntryProof } from '@jadechain/ledger';
import { BlockHeader, merkleProofFromJson } from '@jadechain/types';
import {
  BULK_TRANSACTIONS, CONTRACT_V0, CONTRACT_V1, admin, alice, bob, buildFixture, contract, data, dataAccount, eventAccount, gateway, get, suite,
} from './query-fixture.js';
import type { Fixture } from './query-fixture.js';

let fixture: Fixture;
let base: string;
before(async () => {
  fixture = await buildFixture();
  base = `/ledgers/${fixture.ledger.ledgerHash.toBase58()}`;
});

type Json = Record<string, unknown>;
const post = (path: string, body: unknown) => fixture.service.handle({ method: 'POST', path, query: {}, body });

describe('users and privileges (§7.4)', () => {
  test('users: list, counts (global and per block), by address', () => {
    const users = data(fixture.service, `${base}/users`) as Json[];
    const addresses = users.map((user) => (user['address'] as Json)['value']);
    assert.deepEqual([...addresses].sort(), [admin, gateway, alice].map((keys) => keys.address.toBase58()).sort());
    assert.equal(addresses[2], alice.address.toBase58(), 'users are listed in registration order');
    assert.equal(data(fixture.service, `${base}/users/count`), 3);
    assert.equal(data(fixture.service, `${base}/blocks/height/0/users/count`), 2);
    assert.equal(data(fixture.service, `${base}/blocks/height/1/users/additional-count`), 1);
    assert.equal(data(fixture.service, `${base}/blocks/height/0/users/additional-count`), 2);
    assert.equal(data(fixture.service, `${base}/users/additional-count`), 0);
    assert.deepEqual((data(fixture.service, `${base}/users?fromIndex=2&count=1`) as Json[])[0], { address: { value: alice.address.toBase58() }, pubKey: alice.publicKey.toBase58() });
    const user = data(fixture.service, `${base}/users/address/${alice.address.toBase58()}`) as Json;
    assert.deepEqual(user['iD'], { address: { value: alice.address.toBase58() }, pubKey: alice.publicKey.toBase58() });
    assert.equal(user['state'], 'NORMAL');
    assert.deepEqual(user['roles'], ['ADMIN', 'AUDITOR']);
    assert.equal(user['rolesPolicy'], 'INTERSECT');
  });

  test('a role\'s privileges in code order; role names are case-insensitive', () => {
    assert.deepEqual(data(fixture.service, `${base}/authorization/role/auditor`), {
      roleName: 'AUDITOR',
      ledgerPrivilege: { privilege: ['REGISTER_USER', 'APPROVE_TX'], permissionCount: 2 },
      transactionPrivilege: { privilege: ['DIRECT_OPERATION'], permissionCount: 1 },
    });
  });

  test('a user\'s privileges combine its roles by its policy (INTERSECT here)', () => {
    assert.deepEqual(data(fixture.service, `${base}/authorization/user/${alice.address.toBase58()}`), {
      userAddress: { value: alice.address.toBase58() },
      userRole: ['ADMIN', 'AUDITOR'],
      policy: 'INTERSECT',
      ledgerPrivilegesBitset: { privilege: ['REGISTER_USER', 'APPROVE_TX'], permissionCount: 2 },
      transactionPrivilegesBitset: { privilege: ['DIRECT_OPERATION'], permissionCount: 1 },
    });
  });

  test('an unknown user has the DEFAULT role (unconfigured here, so nothing)', () => {
    const privileges = data(fixture.service, `${base}/authorization/user/${bob.address.toBase58()}`) as Json;
    assert.deepEqual(privileges['userRole'], ['DEFAULT']);
    assert.deepEqual(privileges['ledgerPrivilegesBitset'], { privilege: [], permissionCount: 0 });
  });
});

describe('data accounts and KV entries (§7.5)', () => {
  const account = () => `${base}/accounts/address/${dataAccount.address.toBase58()}`;
  const byKeys = () => `${base}/accounts/${dataAccount.address.toBase58()}`;

  test('accounts: list, counts, detail with its KV tree', () => {
    assert.deepEqual(data(fixture.service, `${base}/accounts`), [{ address: { value: dataAccount.address.toBase58() }, pubKey: dataAccount.publicKey.toBase58() }]);
    assert.equal(data(fixture.service, `${base}/accounts/count`), 1);
    assert.equal(data(fixture.service, `${base}/blocks/height/1/accounts/additional-count`), 1);
    assert.equal(data(fixture.service, `${base}/blocks/height/2/accounts/additional-count`), 0);
    assert.equal(data(fixture.service, `${base}/blocks/hash/${fixture.ledger.ledgerHash.toBase58()}/accounts/count`), 0);
    const detail = data(fixture.service, account()) as Json;
    assert.equal((detail['dataset'] as Json)['dataCount'], 3 + BULK_TRANSACTIONS);
    assert.equal(detail['dataRootHash'], (detail['dataset'] as Json)['rootHash']);
    assert.deepEqual(detail['permission'], { owners: [{ value: admin.address.toBase58() }], modeBits: 0o755, role: null });
  });

  test('latest entries in first-write order, with paging capped at 100', () => {
    assert.equal(data(fixture.service, `${account()}/entries/count`), 3 + BULK_TRANSACTIONS);
    const first = data(fixture.service, `${account()}/entries?count=3`);
    assert.deepEqual(first, [
      { key: 'k1', version: 2, type: 'TEXT', value: 'three' },
      { key: 'n', version: 0, type: 'INT64', value: 1024 },
      { key: 'bin', version: 0, type: 'BYTES', value: 'AQID' },
    ]);
    assert.equal((data(fixture.service, `${account()}/entries?count=500`) as unknown[]).length, 100);
    assert.equal((data(fixture.service, `${account()}/entries?fromIndex=100&count=-5`) as unknown[]).length, 13);
    const posted = post(`${account()}/entries`, {}).body;
    assert.equal(posted.success ? (posted.data as unknown[]).length : -1, 100, 'POST pages as GET does');
  });

  test('entries by keys; a missing key is NIL with version -1; POST takes keys in the body', () => {
    const expected = [{ key: 'k1', version: 2, type: 'TEXT', value: 'three' }, { key: 'nope', version: -1, type: 'NIL' }];
    assert.deepEqual(data(fixture.service, `${byKeys()}/entries?keys=k1,nope`), expected);
    assert.deepEqual(post(`${byKeys()}/entries`, { keys: 'k1,nope' }).body, { success: true, data: expected });
    assert.deepEqual(post(`${byKeys()}/entries`, { keys: ['k1', 'nope'] }).body, { success: true, data: expected });
  });

  test('entries-version gives chosen versions; a missing version is NIL', () => {
    const response = post(`${byKeys()}/entries-version`, { data: [{ key: 'k1', version: [0, 1, 9] }, { key: 'bin', version: [0] }] });
    assert.deepEqual(response.body, {
      success: true,
      data: [
        { key: 'k1', version: 0, type: 'TEXT', value: 'one' },
        { key: 'k1', version: 1, type: 'TEXT', value: 'two' },
        { key: 'k1', version: -1, type: 'NIL' },
        { key: 'bin', version: 0, type: 'BYTES', value: 'AQID' },
      ],
    });
  });
});

describe('contracts (§7.6)', () => {
  const path = () => `${base}/contracts/address/${contract.address.toBase58()}`;

  test('list, counts, latest version as source text, each version, compiled bytes', () => {
    assert.deepEqual(data(fixture.service, `${base}/contracts`), [{ address: { value: contract.address.toBase58() }, pubKey: contract.publicKey.toBase58() }]);
    assert.equal(data(fixture.service, `${base}/contracts/count`), 1);
    assert.equal(data(fixture.service, `${base}/blocks/height/3/contracts/additional-count`), 1);
    assert.equal(data(fixture.service, `${base}/blocks/height/4/contracts/additional-count`), 0);
    const latest = data(fixture.service, path()) as Json;
    assert.equal(latest['chainCodeVersion'], 1);
    assert.equal(latest['chainCode'], CONTRACT_V1);
    assert.equal(latest['chainCodeEncoding'], 'utf8');
    assert.equal(latest['lang'], 'JAVASCRIPT');
    assert.equal((data(fixture.service, `${path()}/version/0`) as Json)['chainCode'], CONTRACT_V0);
    const compiled = data(fixture.service, `${path()}/version/0/compiled`) as Json;
    assert.equal(compiled['chainCode'], Buffer.from(CONTRACT_V0).toString('base64'));
    assert.equal((data(fixture.service, `${path()}/compiled`) as Json)['chainCodeEncoding'], 'base64');
  });

  test('a version never deployed is VERSION_NOT_FOUND', () => {
    const { status, body } = get(fixture.service, `${path()}/version/7`);
    assert.equal(status, 200);
    assert.equal(body.success ? 0 : body.error.errorCode, 1006);
  });
});

describe('events (§7.7)', () => {
  const user = () => `${base}/events/user/accounts/${eventAccount.address.toBase58()}`;

  test('system event names and new_block_created: sequence = height', () => {
    assert.deepEqual(data(fixture.service, `${base}/events/system/names`), ['new_block_created']);
    assert.equal(data(fixture.service, `${base}/events/system/names/count`), 1);
    assert.equal(data(fixture.service, `${base}/events/system/names/new_block_created/count`), 6);
    const events = data(fixture.service, `${base}/events/system/names/new_block_created?fromSequence=4&count=10`) as Json[];
    assert.deepEqual(events.map((event) => [event['sequence'], event['blockHeight'], (event['content'] as Json)['value']]), [[4, 4, 4], [5, 5, 5]]);
    const latest = data(fixture.service, `${base}/events/system/names/new_block_created/latest`) as Json;
    assert.equal(latest['sequence'], 5);
    assert.equal(latest['blockHash'], fixture.ledger.tip.blockHash.toBase58());
  });

  test('user event accounts, topics and events from a sequence', () => {
    assert.deepEqual(data(fixture.service, `${base}/events/user/accounts`), [{ address: { value: eventAccount.address.toBase58() }, pubKey: eventAccount.publicKey.toBase58() }]);
    assert.equal(data(fixture.service, `${base}/events/user/accounts/count`), 1);
    assert.equal((data(fixture.service, user()) as Json)['topicCount'], 2);
    assert.deepEqual(data(fixture.service, `${user()}/names`), ['alerts', 'audit']);
    assert.deepEqual(data(fixture.service, `${user()}/names?fromIndex=1`), ['audit']);
    assert.equal(data(fixture.service, `${user()}/names/count`), 2);
    const alerts = data(fixture.service, `${user()}/names/alerts?fromSequence=1`) as Json[];
    assert.deepEqual(alerts, [{
      name: 'alerts',
      sequence: 1,
      content: { type: 'TEXT', value: 'a1' },
      transactionSource: fixture.blocks[2]?.results[1]?.transactionHash.toBase58(),
      contractSource: null,
      blockHeight: 3,
      eventAccount: { value: eventAccount.address.toBase58() },
    }]);
    assert.equal(data(fixture.service, `${user()}/names/alerts/count`), 2);
    assert.deepEqual((data(fixture.service, `${user()}/names/audit/latest`) as Json)['content'], { type: 'INT64', value: 7 });
    assert.equal(data(fixture.service, `${user()}/names/silent/latest`), null);
    assert.equal(data(fixture.service, `${user()}/names/silent/count`), 0);
  });
});

describe('KV proofs (JadeChain addition)', () => {
  test('a KV proof verifies against the header it comes with, at the tip and at a past height', () => {
    for (const height of [undefined, 3]) {
      const query = `account=${dataAccount.address.toBase58()}&key=k1${height === undefined ? '' : `&height=${height}`}`;
      const answer = data(fixture.service, `${base}/proofs/kv?${query}`) as Json;
      const header = BlockHeader.decode(Buffer.from(String(answer['headerBytes']), 'base64'));
      assert.deepEqual(BlockHeader.toJson(header), answer['header']);
      const proofs = answer['proof'] as Record<string, { record: string | null; proof: unknown }>;
      const record = (part: { record: string | null; proof: unknown }) => ({
        record: part.record === null ? undefined : new Uint8Array(Buffer.from(part.record, 'base64')),
        proof: merkleProofFromJson(part.proof),
      });
      const hash = (bytes: Uint8Array) => suite.hash('SHA256', bytes).raw;
      const proof = { account: record(proofs['account'] ?? { record: null, proof: null }), entry: record(proofs['entry'] ?? { record: null, proof: null }) };
      assert.equal(verifyKvEntryProof(hash, header.dataAccountRoot.raw, dataAccount.address, 'k1', proof), true);
      assert.equal((answer['entry'] as Json)['value'], height === 3 ? 'two' : 'three');
      assert.notEqual(answer['certificate'], null);
    }
  });

  test('an absent account is proven absent; the genesis block has no certificate', () => {
    const answer = data(fixture.service, `${base}/proofs/kv?account=${Address.fromPublicKey(bob.publicKey).toBase58()}&key=k&height=0`) as Json;
    assert.equal(answer['entry'], null);
    assert.equal((answer['proof'] as Json)['entry'], null);
    assert.equal(answer['certificate'], null);
  });
});
