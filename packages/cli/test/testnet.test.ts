import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeystoreDir, cryptoSuite } from '@jadechain/crypto';
import { Ledger } from '@jadechain/ledger';
import { loadGatewayConfig } from '@jadechain/gateway';
import { defaultLedgerPath, loadIdentityKey, loadPeerConfig } from '@jadechain/node';
import { LmdbStore } from '@jadechain/storage';
import { run } from './helpers.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'jadechain-testnet-'));
}

test('testnet init writes keys, genesis, the ledger store and configurations the peer and gateway accept', async () => {
  const dir = tempDir();
  try {
    const r = await run(['testnet', 'init', '--dir', dir, '--port', '18181', '--peer-port', '17171']);
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
    const r = await run(['testnet', 'init', '--dir', dir, '--crypto', 'sm']);
    assert.equal(r.code, 0, r.stderr);
    const keys = new KeystoreDir(join(dir, 'keys'), cryptoSuite).list();
    assert.deepEqual(keys.map((k) => [k.name, k.algorithm]), [['admin', 'SM2'], ['gateway', 'SM2'], ['peer0', 'SM2']]);
    const ledgerHash = /ledgerHash\s+(\S+)/.exec(r.stdout)?.[1] ?? '';
    const genesis = JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8')) as { ledgerHash: string; proposal: { settings: { crypto: { hashAlgorithm: string } } } };
    assert.equal(genesis.ledgerHash, ledgerHash);
    assert.equal(genesis.proposal.settings.crypto.hashAlgorithm, 'SM3');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('testnet init refuses more than one peer until BFT exists, and bad options, writing nothing', async () => {
  const dir = tempDir();
  try {
    const several = await run(['testnet', 'init', '--dir', join(dir, 'four'), '--peers', '4']);
    assert.equal(several.code, 2);
    assert.match(several.stderr, /BFT not available yet/);
    assert.equal(existsSync(join(dir, 'four')), false);
    for (const args of [['--crypto', 'rsa'], ['--peers', 'x'], ['--port', '70000']]) {
      const bad = await run(['testnet', 'init', '--dir', join(dir, 'bad'), ...args]);
      assert.equal(bad.code, 2, args.join(' '));
      assert.match(bad.stderr, /BAD_ARGUMENT/);
    }
    assert.equal(existsSync(join(dir, 'bad')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
