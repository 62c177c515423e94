import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeystoreDir, cryptoSuite } from '@jadechain/crypto';
import { Ledger } from '@jadechain/ledger';
import { loadGatewayConfig } from '@jadechain/gateway';
import { defaultLedgerPath, loadPeerConfig } from '@jadechain/node';
import { loadIdentityKey } from '@jadechain/service';
import { LmdbStore } from '@jadechain/storage';
import { run } from './helpers.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'jadechain-testnet-'));
}

test('testnet init writes keys, genesis, the ledger store and configurations the peer and gateway accept', async () => {
  const dir = tempDir();
  try {
    const r = await run(['testnet', 'init', '--dir', dir, '--peers', '1', '--port', '18181', '--peer-port', '17171']);
    assert.equal(r.code, 0, r.stderr);
    const ledgerHash = /ledgerHash\s+(\S+)/.exec(r.stdout)?.[1];
    assert.ok(ledgerHash !== undefined, r.stdout);
    assert.equal((statSync(join(dir, 'dev-password')).mode & 0o777).toString(8), '600');

    const peer = loadPeerConfig(join(dir, 'peer0.json'));
    assert.deepEqual(peer.ledgers.map((l) => l.hash.toBase58()), [ledgerHash]);
    assert.deepEqual(peer.p2p, { host: '127.0.0.1', port: 17171 });
    assert.equal(peer.management.port, 17172);
    const gateway = loadGatewayConfig(join(dir, 'gateway.json'));
    assert.equal(gateway.http.port, 18181);
    assert.equal(gateway.peers[0]?.port, 17171);
    // Each side knows the other's identity: the keys the configurations point at.
    const peerKey = cryptoSuite.publicKeyOf(loadIdentityKey(peer.identity));
    const gatewayKey = cryptoSuite.publicKeyOf(loadIdentityKey(gateway.identity));
    assert.ok(gateway.peers[0]?.publicKey.equals(peerKey));
    assert.ok('publicKey' in (peer.gateways[0] ?? {}) && (peer.gateways[0] as { publicKey: typeof peerKey }).publicKey.equals(gatewayKey));

    // The ledger exists on disk at height 0 with the announced hash, and its users are the
    // participant, the administrator and the gateway.
    const store = LmdbStore.open(defaultLedgerPath(peer.dataDir, peer.ledgers[0]!.hash));
    try {
      const ledger = await Ledger.open(store, { suite: cryptoSuite });
      assert.equal(ledger.ledgerHash.toBase58(), ledgerHash);
      assert.equal(Number(ledger.tip.height), 0);
      const admin = new KeystoreDir(join(dir, 'keys'), cryptoSuite).show('admin');
      assert.ok(ledger.tip.state().user(admin.address) !== undefined);
    } finally {
      await store.close();
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'testnet.json'), 'utf8')) as { gatewayUrl: string; ledgerHash: string };
    assert.equal(manifest.gatewayUrl, 'http://127.0.0.1:18181');
    assert.equal(manifest.ledgerHash, ledgerHash);

    // A second init into the same folder is refused and changes nothing.
    const again = await run(['testnet', 'init', '--dir', dir]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already holds a testnet/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('testnet init --crypto sm makes SM2 keys and an SM3 ledger', async () => {
  const dir = tempDir();
  try {
    const r = await run(['testnet', 'init', '--dir', dir, '--crypto', 'sm', '--peers', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 peers, BFT \(quorum 2\), tolerates no failed peer/);
    const keys = new KeystoreDir(join(dir, 'keys'), cryptoSuite).list();
    assert.deepEqual(keys.map((k) => [k.name, k.algorithm]), [['admin', 'SM2'], ['gateway', 'SM2'], ['peer0', 'SM2'], ['peer1', 'SM2']]);
    const ledgerHash = /ledgerHash\s+(\S+)/.exec(r.stdout)?.[1] ?? '';
    const genesis = JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8')) as { ledgerHash: string; proposal: { settings: { crypto: { hashAlgorithm: string } } } };
    assert.equal(genesis.ledgerHash, ledgerHash);
    assert.equal(genesis.proposal.settings.crypto.hashAlgorithm, 'SM3');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('testnet init makes four BFT peers by default: four CONSENSUS participants, each peer lists the other three', async () => {
  const dir = tempDir();
  try {
    const r = await run(['testnet', 'init', '--dir', dir, '--port', '18181', '--peer-port', '17171']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /consensus +4 peers, BFT \(quorum 3\), tolerates 1 failed peer/);
    const configs = [0, 1, 2, 3].map((index) => loadPeerConfig(join(dir, `peer${index}.json`)));
    const identities = configs.map((config) => cryptoSuite.publicKeyOf(loadIdentityKey(config.identity)).toBase58());
    assert.equal(new Set(identities).size, 4);
    configs.forEach((config, index) => {
      assert.equal(config.consensus.protocol, 'bft');
      assert.deepEqual(config.p2p.port, 17171 + 2 * index);
      assert.equal(config.management.port, 17172 + 2 * index);
      const listed = config.peers.map((peer) => [peer.publicKey.toBase58(), peer.port]);
      const others = identities.map((key, other) => [key, 17171 + 2 * other]).filter((_, other) => other !== index);
      assert.deepEqual(listed, others);
    });
    const gateway = loadGatewayConfig(join(dir, 'gateway.json'));
    assert.deepEqual(gateway.peers.map((peer) => [peer.publicKey.toBase58(), peer.port]), identities.map((key, index) => [key, 17171 + 2 * index]));

    // Every peer's store holds the same genesis, whose participants are the four peers, all voting.
    for (const config of configs) {
      const store = LmdbStore.open(defaultLedgerPath(config.dataDir, config.ledgers[0]!.hash));
      try {
        const ledger = await Ledger.open(store, { suite: cryptoSuite });
        const participants = ledger.tip.state().participants();
        assert.deepEqual(participants.map((p) => [p.pubKey.toBase58(), p.state]), identities.map((key) => [key, 'CONSENSUS']));
      } finally {
        await store.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('testnet init --peers 1 keeps single-node consensus', async () => {
  const dir = tempDir();
  try {
    const r = await run(['testnet', 'init', '--dir', dir, '--peers', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /consensus +1 peer, single-node consensus/);
    const peer = loadPeerConfig(join(dir, 'peer0.json'));
    assert.equal(peer.consensus.protocol, 'single');
    assert.deepEqual(peer.peers, []);
    assert.equal(existsSync(join(dir, 'peer1.json')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('testnet init refuses bad options and colliding ports, writing nothing', async () => {
  const dir = tempDir();
  try {
    const cases = [
      { args: ['--crypto', 'rsa'], error: /--crypto must be one of/ },
      { args: ['--peers', 'x'], error: /--peers must be an integer/ },
      { args: ['--peers', '0'], error: /--peers must be an integer from 1/ },
      { args: ['--port', '70000'], error: /port must be an integer/ },
      // Four peers take 7080–7087: a gateway on 7085 would collide with peer2's management port.
      { args: ['--peer-port', '7080', '--port', '7085'], error: /--port 7085 falls in the peers' ports 7080–7087/ },
      { args: ['--peer-port', '65530'], error: /4 peers need ports up to 65537/ },
    ];
    for (const { args, error } of cases) {
      const bad = await run(['testnet', 'init', '--dir', join(dir, 'bad'), ...args]);
      assert.equal(bad.code, 2, args.join(' '));
      assert.match(bad.stderr, /BAD_ARGUMENT/);
      assert.match(bad.stderr, error, args.join(' '));
    }
    assert.equal(existsSync(join(dir, 'bad')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
