import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoSuite } from '@jadechain/crypto';
import { ConfigError } from '@jadechain/service';
import { loadPeerConfig, parsePeerConfig } from '../src/index.js';

const ledger = cryptoSuite.hash('SHA256', new TextEncoder().encode('ledger')).toBase58();
const gatewayKey = cryptoSuite.generateKeyPair('ED25519').publicKey;
const peerKey = cryptoSuite.generateKeyPair('ED25519').publicKey;
const valid = {
  dataDir: 'data',
  ledgers: [{ hash: ledger }],
  identity: { keyFile: 'keys/peer.json', password: { env: 'PEER_PASSWORD' } },
  p2p: { port: 7000 },
  management: { host: '0.0.0.0', port: 7001 },
  gateways: [{ publicKey: gatewayKey.toBase58() }, { address: gatewayKey.address().toBase58() }],
};

function fieldOf(value: unknown): string {
  try {
    parsePeerConfig(value, '/etc/jade');
  } catch (error) {
    if (error instanceof ConfigError) return error.field;
    throw error;
  }
  return 'ACCEPTED';
}

describe('peer configuration', () => {
  test('a valid configuration gets its defaults and paths resolved against the file', () => {
    const config = parsePeerConfig(valid, '/etc/jade');
    assert.equal(config.dataDir, '/etc/jade/data');
    assert.equal(config.ledgers[0]?.path, `/etc/jade/data/ledgers/${ledger}`);
    assert.equal(config.identity.keyFile, '/etc/jade/keys/peer.json');
    assert.deepEqual(config.p2p, { host: '127.0.0.1', port: 7000 });
    assert.equal(config.mempool.maxTransactions, 50_000);
    assert.equal(config.gateways.length, 2);
  });

  test('each invalid field is named', () => {
    const cases: Array<[unknown, string]> = [
      [{ ...valid, ledgers: [] }, 'ledgers'],
      [{ ...valid, ledgers: [{ hash: 'not-base58!' }] }, 'ledgers[0].hash'],
      [{ ...valid, ledgers: [{ hash: ledger }, { hash: ledger }] }, 'ledgers[1].hash'],
      [{ ...valid, p2p: { port: 70000 } }, 'p2p.port'],
      [{ ...valid, management: { host: 'bad host!' } }, 'management.host'],
      [{ ...valid, identity: { keyFile: 'k', password: {} } }, 'identity.password'],
      [{ ...valid, identity: { keyFile: 'k', password: { env: 'A', value: 'b' } } }, 'identity.password'],
      [{ ...valid, gateways: [{ publicKey: 'zzz' }] }, 'gateways[0].publicKey'],
      [{ ...valid, gateways: [{}] }, 'gateways[0].publicKey'],
      [{ ...valid, mempool: { maxTransactions: 0 } }, 'mempool.maxTransactions'],
      [{ ...valid, extra: true }, 'extra'],
      [[], '(root)'],
    ];
    for (const [value, field] of cases) assert.equal(fieldOf(value), field, JSON.stringify(value));
  });

  test('consensus defaults to single-node and no peers; BFT settings and peers are read', () => {
    const defaults = parsePeerConfig(valid, '/etc/jade');
    assert.deepEqual(defaults.consensus, { protocol: 'single', timeouts: {}, minBlockIntervalMs: 200 });
    assert.deepEqual(defaults.peers, []);
    const bft = parsePeerConfig(
      { ...valid, consensus: { protocol: 'bft', timeouts: { proposeMs: 3000, retransmitMs: 2000 }, maxTransactionsPerBlock: 500, minBlockIntervalMs: 0 }, peers: [{ publicKey: peerKey.toBase58(), host: '10.0.0.2', port: 7090 }] },
      '/etc/jade',
    );
    assert.deepEqual(bft.consensus, { protocol: 'bft', timeouts: { proposeMs: 3000, retransmitMs: 2000 }, maxTransactionsPerBlock: 500, minBlockIntervalMs: 0 });
    assert.equal(bft.peers.length, 1);
    assert.ok(bft.peers[0]?.publicKey.equals(peerKey));
    assert.equal(bft.peers[0]?.host, '10.0.0.2');
    assert.equal(bft.peers[0]?.port, 7090);
  });

  test('each invalid consensus or peers field is named', () => {
    const peer = { publicKey: peerKey.toBase58(), host: '127.0.0.1', port: 7090 };
    const cases: Array<[unknown, string]> = [
      [{ ...valid, consensus: { protocol: 'raft' } }, 'consensus.protocol'],
      [{ ...valid, consensus: { protocol: 'bft', minBlockIntervalMs: -1 } }, 'consensus.minBlockIntervalMs'],
      [{ ...valid, consensus: { protocol: 'bft', minBlockIntervalMs: 10_001 } }, 'consensus.minBlockIntervalMs'],
      [{ ...valid, consensus: { protocol: '' } }, 'consensus.protocol'],
      [{ ...valid, consensus: { protocol: 'bft', quorum: 3 } }, 'consensus.quorum'],
      [{ ...valid, consensus: { protocol: 'bft', timeouts: { proposeMs: 0 } } }, 'consensus.timeouts.proposeMs'],
      [{ ...valid, consensus: { protocol: 'bft', timeouts: { prevoteMs: 1.5 } } }, 'consensus.timeouts.prevoteMs'],
      [{ ...valid, consensus: { protocol: 'bft', timeouts: { precommitMs: '1000' } } }, 'consensus.timeouts.precommitMs'],
      [{ ...valid, consensus: { protocol: 'bft', timeouts: { roundIncrementMs: 600_001 } } }, 'consensus.timeouts.roundIncrementMs'],
      [{ ...valid, consensus: { protocol: 'bft', timeouts: { retransmitMs: -1 } } }, 'consensus.timeouts.retransmitMs'],
      [{ ...valid, consensus: { protocol: 'bft', timeouts: { commitMs: 1 } } }, 'consensus.timeouts.commitMs'],
      [{ ...valid, consensus: { protocol: 'bft', maxTransactionsPerBlock: 0 } }, 'consensus.maxTransactionsPerBlock'],
      [{ ...valid, consensus: 'bft' }, 'consensus'],
      [{ ...valid, peers: {} }, 'peers'],
      [{ ...valid, peers: [{ ...peer, publicKey: 'nope' }] }, 'peers[0].publicKey'],
      [{ ...valid, peers: [{ host: '127.0.0.1', port: 7090 }] }, 'peers[0].publicKey'],
      [{ ...valid, peers: [{ ...peer, host: undefined }] }, 'peers[0].host'],
      [{ ...valid, peers: [{ ...peer, host: 'bad host!' }] }, 'peers[0].host'],
      [{ ...valid, peers: [{ ...peer, port: undefined }] }, 'peers[0].port'],
      [{ ...valid, peers: [{ ...peer, port: 0 }] }, 'peers[0].port'],
      [{ ...valid, peers: [{ ...peer, tls: true }] }, 'peers[0].tls'],
      [{ ...valid, peers: [peer, { ...peer, port: 7091 }] }, 'peers[1].publicKey'],
    ];
    for (const [value, field] of cases) assert.equal(fieldOf(value), field, JSON.stringify(value));
  });

  test('files that cannot be read or parsed are CONFIG_INVALID', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jade-config-'));
    try {
      writeFileSync(join(dir, 'bad.json'), '{ nope');
      assert.throws(() => loadPeerConfig(join(dir, 'bad.json')), (error: unknown) => error instanceof ConfigError && error.code === 'CONFIG_INVALID');
      assert.throws(() => loadPeerConfig(join(dir, 'missing.json')), ConfigError);
      writeFileSync(join(dir, 'good.json'), JSON.stringify(valid));
      assert.equal(loadPeerConfig(join(dir, 'good.json')).dataDir, join(dir, 'data'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
