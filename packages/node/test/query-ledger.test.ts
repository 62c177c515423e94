import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BULK_TRANSACTIONS, GENESIS_TIME, buildFixture, data, organisations } from './query-fixture.js';
import type { Fixture } from './query-fixture.js';

let fixture: Fixture;
let base: string;
before(async () => {
  fixture = await buildFixture();
  base = `/ledgers/${fixture.ledger.ledgerHash.toBase58()}`;
});

type Json = Record<string, unknown>;
const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((node, step) => (node as Record<string | number, unknown>)[step], value);

describe('ledgers and administration (§7.2)', () => {
  test('/ledgers lists the ledger hash; /ledgers/count counts it', () => {
    assert.deepEqual(data(fixture.service, '/ledgers'), [fixture.ledger.ledgerHash.toBase58()]);
    assert.equal(data(fixture.service, '/ledgers/count'), 1);
  });

  test('/ledgers/{ledger} is LedgerInfo with the tip', () => {
    assert.deepEqual(data(fixture.service, base), {
      hash: fixture.ledger.ledgerHash.toBase58(),
      latestBlockHeight: 5,
      latestBlockHash: fixture.ledger.tip.blockHash.toBase58(),
    });
  });

  test('metadata carries the seed in base64 and hashes in base58', () => {
    const metadata = data(fixture.service, `${base}/metadata`) as Json;
    assert.equal(metadata['seed'], Buffer.from('jadechain query fixture').toString('base64'));
    assert.equal(metadata['ledgerStructureVersion'], 1);
    assert.equal(metadata['createdTime'], Number(GENESIS_TIME));
    assert.equal(metadata['adminAccountHash'], fixture.ledger.tip.header.adminRoot.toBase58());
    for (const field of ['participantsHash', 'settingsHash']) assert.match(String(metadata[field]), /^j5[1-9A-HJ-NP-Za-km-z]+$/);
  });

  test('settings: consensus properties as sorted systemConfigs, participants, genesis users', () => {
    const settings = data(fixture.service, `${base}/settings`) as Json;
    assert.equal(settings['consensusProtocol'], 'single');
    assert.deepEqual(at(settings, 'consensusSettings', 'systemConfigs'), [{ name: 'alpha', value: 'x' }, { name: 'block.max', value: '100' }]);
    assert.equal(settings['seed'], `${Buffer.from('jadechain query fixture').toString('hex').match(/.{1,8}/g)?.join('-')}`);
    assert.equal((settings['participantNodes'] as unknown[]).length, 2);
    assert.deepEqual((settings['genesisUsers'] as Json[]).map((user) => user['roles']).sort(), [['ADMIN'], ['GATEWAY']]);
  });

  test('settings/crypto gives JD Chain algorithm codes', () => {
    assert.deepEqual(data(fixture.service, `${base}/settings/crypto`), {
      supportedProviders: [{ name: 'jadechain', algorithms: [{ name: 'SHA256', code: 8216 }, { name: 'ED25519', code: 16661 }] }],
      hashAlgorithm: 8216,
      autoVerifyHash: true,
    });
  });

  test('participants: JD Chain shape with {value} addresses; count; admininfo', () => {
    const participants = data(fixture.service, `${base}/participants`) as Json[];
    assert.deepEqual(participants[0], {
      id: 0,
      name: 'org-a',
      address: { value: organisations[0]?.keys.address.toBase58() },
      pubKey: organisations[0]?.keys.publicKey.toBase58(),
      participantNodeState: 'CONSENSUS',
    });
    assert.equal(data(fixture.service, `${base}/participants/count`), 2);
    const admin = data(fixture.service, `${base}/admininfo`) as Json;
    assert.equal(admin['participantCount'], 2);
    assert.deepEqual(admin['participants'], participants);
    assert.equal(at(admin, 'settings', 'consensusProvider'), 'single');
    assert.equal(typeof at(admin, 'settings', 'consensusSetting', 'value'), 'string');
  });
});

describe('blocks (§7.3)', () => {
  test('latest, by height and by hash are the same block with JD Chain field names', () => {
    const latest = data(fixture.service, `${base}/blocks/latest`) as Json;
    const header = fixture.ledger.tip.header;
    assert.equal(latest['height'], 5);
    assert.equal(latest['hash'], fixture.ledger.tip.blockHash.toBase58());
    assert.equal(latest['ledgerHash'], fixture.ledger.ledgerHash.toBase58());
    assert.equal(latest['previousHash'], fixture.blocks[3]?.blockHash.toBase58());
    assert.equal(latest['timestamp'], Number(GENESIS_TIME) + 5000);
    assert.equal(latest['dataAccountSetHash'], header.dataAccountRoot.toBase58());
    assert.equal(latest['transactionCount'], BULK_TRANSACTIONS);
    assert.deepEqual(data(fixture.service, `${base}/blocks/height/5`), latest);
    assert.deepEqual(data(fixture.service, `${base}/blocks/hash/${String(latest['hash'])}`), latest);
  });

  test('the genesis block has no ledger hash nor previous hash, and its hash is the ledger hash', () => {
    const genesis = data(fixture.service, `${base}/blocks/height/0`) as Json;
    assert.equal(genesis['hash'], fixture.ledger.ledgerHash.toBase58());
    assert.equal(genesis['ledgerHash'], null);
    assert.equal(genesis['previousHash'], null);
  });

  test('?numOfBlocks=N gives the latest N, newest first, then genesis; ≤0 or >100 means all (up to 100)', () => {
    const heights = (query: string) => (data(fixture.service, `${base}/blocks?${query}`) as Json[]).map((block) => block['height']);
    assert.deepEqual(heights('numOfBlocks=2'), [5, 4, 0]);
    assert.deepEqual(heights('numOfBlocks=6'), [5, 4, 3, 2, 1, 0]);
    assert.deepEqual(heights('numOfBlocks=0'), [5, 4, 3, 2, 1, 0]);
    assert.deepEqual(heights('numOfBlocks=-3'), [5, 4, 3, 2, 1, 0]);
    assert.deepEqual(heights('numOfBlocks=101'), [5, 4, 3, 2, 1, 0]);
  });
});

describe('transactions (§7.3)', () => {
  const total = 3 + 2 + 3 + 4 + BULK_TRANSACTIONS;

  test('counts: global, cumulative up to a block, and added by a block', () => {
    assert.equal(data(fixture.service, `${base}/txs/count`), total);
    assert.equal(data(fixture.service, `${base}/txs/additional-count`), BULK_TRANSACTIONS);
    assert.equal(data(fixture.service, `${base}/blocks/height/2/txs/count`), 5);
    assert.equal(data(fixture.service, `${base}/blocks/height/2/txs/additional-count`), 2);
    assert.equal(data(fixture.service, `${base}/blocks/height/0/txs/count`), 0);
    const hash = fixture.blocks[3]?.blockHash.toBase58() ?? '';
    assert.equal(data(fixture.service, `${base}/blocks/hash/${hash}/txs/count`), 12);
    assert.equal(data(fixture.service, `${base}/blocks/hash/${hash}/txs/additional-count`), 4);
    assert.equal(data(fixture.service, `${base}/blocks/txs/additional-count`), BULK_TRANSACTIONS);
  });

  test('the cumulative list numbers transactions across blocks', () => {
    const hashes = (path: string) => (data(fixture.service, path) as Json[]).map((tx) => at(tx, 'result', 'transactionHash'));
    const expected = fixture.blocks.flatMap((block) => block.results.map((result) => result.transactionHash.toBase58()));
    assert.deepEqual(hashes(`${base}/blocks/height/4/txs`), expected.slice(0, 12));
    assert.deepEqual(hashes(`${base}/blocks/height/4/txs?fromIndex=4&count=5`), expected.slice(4, 9));
    assert.deepEqual(hashes(`${base}/blocks/height/5/txs?fromIndex=10&count=100`), expected.slice(10, 110));
    assert.deepEqual(hashes(`${base}/blocks/height/5/txs?fromIndex=100`), expected.slice(100, 200));
    assert.deepEqual(hashes(`${base}/blocks/height/4/txs?fromIndex=12`), []);
    assert.deepEqual(hashes(`${base}/blocks/height/0/txs`), []);
  });

  test('a block\'s own list pages with fromIndex and count; count ≤0 or >100 means 100', () => {
    const count = (query: string) => (data(fixture.service, `${base}/blocks/height/5/txs/additional-txs?${query}`) as unknown[]).length;
    assert.equal(count(''), 100);
    assert.equal(count('count=0'), 100);
    assert.equal(count('count=-1'), 100);
    assert.equal(count('count=101'), 100);
    assert.equal(count('count=100'), 100);
    assert.equal(count('count=7'), 7);
    assert.equal(count('fromIndex=105&count=100'), BULK_TRANSACTIONS - 105);
    assert.equal(count(`fromIndex=${BULK_TRANSACTIONS}`), 0);
    const byHash = data(fixture.service, `${base}/blocks/hash/${fixture.blocks[1]?.blockHash.toBase58() ?? ''}/txs/additional-txs`) as Json[];
    assert.deepEqual(byHash.map((tx) => at(tx, 'result', 'index')), [0, 1]);
  });

  test('a transaction by hash: request with @type operations, signatures, and its result', () => {
    const result = fixture.blocks[1]?.results[1];
    const tx = data(fixture.service, `${base}/txs/hash/${result?.transactionHash.toBase58() ?? ''}`) as Json;
    const operations = at(tx, 'request', 'transactionContent', 'operations') as Json[];
    assert.equal(operations[0]?.['@type'], 'com.jd.blockchain.ledger.RolesConfigureOperation');
    assert.equal(at(operations[0], 'roles', 0, 'roleName'), 'AUDITOR');
    assert.equal(operations[1]?.['@type'], 'com.jd.blockchain.ledger.UserAuthorizeOperation');
    assert.equal(at(tx, 'request', 'transactionContent', 'ledgerHash'), fixture.ledger.ledgerHash.toBase58());
    assert.equal(typeof at(tx, 'request', 'endpointSignatures', 0, 'digest'), 'string');
    assert.equal(at(tx, 'result', 'executionState'), 'SUCCESS');
    assert.equal(at(tx, 'result', 'blockHeight'), 2);
  });

  test('a KV write renders as DataAccountKVSetOperation with JD Chain field names', () => {
    const hash = fixture.blocks[1]?.results[0]?.transactionHash.toBase58() ?? '';
    const operation = at(data(fixture.service, `${base}/txs/hash/${hash}`), 'request', 'transactionContent', 'operations', 1);
    assert.deepEqual(operation, {
      '@type': 'com.jd.blockchain.ledger.DataAccountKVSetOperation',
      accountAddress: { value: at(operation, 'accountAddress', 'value') },
      writeSet: [{ key: 'n', value: { type: 'INT64', value: 1024 }, expectedVersion: -1 }],
    });
  });

  test('the state of a transaction, including a failed one', () => {
    const [ok, , , failed] = fixture.blocks[3]?.results ?? [];
    assert.equal(data(fixture.service, `${base}/txs/state/${ok?.transactionHash.toBase58() ?? ''}`), 'SUCCESS');
    assert.equal(data(fixture.service, `${base}/txs/state/${failed?.transactionHash.toBase58() ?? ''}`), 'DATA_VERSION_CONFLICT');
  });
});
