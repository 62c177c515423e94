import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoSuite } from '@jadechain/crypto';
import { ConfigError } from '@jadechain/service';
import { parseGatewayConfig } from '../src/index.js';

const peerKey = cryptoSuite.generateKeyPair('ED25519').publicKey.toBase58();
const valid = {
  identity: { keyFile: 'gw.json', password: { file: 'password.txt' } },
  peers: [{ port: 7000, publicKey: peerKey }],
};

function fieldOf(value: unknown): string {
  try {
    parseGatewayConfig(value, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error.field;
    throw error;
  }
  return 'ACCEPTED';
}

describe('gateway configuration', () => {
  test('defaults: HTTP on 127.0.0.1:8080 with a 4096-connection backlog, 10 s waits, 1 MiB bodies, 20 ms batches', () => {
    const config = parseGatewayConfig(valid, '/srv');
    assert.deepEqual(config.http, { host: '127.0.0.1', port: 8080, backlog: 4096 });
    assert.equal(parseGatewayConfig({ ...valid, http: { backlog: 128 } }, '/srv').http.backlog, 128);
    assert.deepEqual(config.timeouts, { commitWaitMs: 10_000, peerRequestMs: 10_000, statusPollMs: 1_000 });
    assert.equal(config.bodyLimitBytes, 1024 * 1024);
    assert.deepEqual(config.batching, { windowMs: 20, maxTransactions: 512 });
    assert.deepEqual(config.identity.password, { file: '/srv/password.txt' });
    assert.equal(config.peers[0]?.host, '127.0.0.1');
  });

  test('each invalid field is named', () => {
    const cases: Array<[unknown, string]> = [
      [{ ...valid, peers: [] }, 'peers'],
      [{ ...valid, peers: [{ publicKey: peerKey }] }, 'peers[0].port'],
      [{ ...valid, peers: [{ port: 1, publicKey: 'nope' }] }, 'peers[0].publicKey'],
      [{ ...valid, peers: [{ port: 1, publicKey: peerKey }, { port: 1, publicKey: peerKey }] }, 'peers[1]'],
      // One identity at two addresses would count twice toward finality.
      [{ ...valid, peers: [{ port: 1, publicKey: peerKey }, { port: 2, publicKey: peerKey }] }, 'peers[1]'],
      [{ ...valid, http: { port: -1 } }, 'http.port'],
      [{ ...valid, http: { backlog: 0 } }, 'http.backlog'],
      [{ ...valid, http: { backlog: 1.5 } }, 'http.backlog'],
      [{ ...valid, timeouts: { commitWaitMs: 0 } }, 'timeouts.commitWaitMs'],
      [{ ...valid, timeouts: { statusPollMs: 10 } }, 'timeouts.statusPollMs'],
      [{ ...valid, bodyLimitBytes: 10 }, 'bodyLimitBytes'],
      [{ ...valid, batching: { maxTransactions: 5000 } }, 'batching.maxTransactions'],
      [{ ...valid, identity: { password: { value: 'x' } } }, 'identity.keyFile'],
      [{ ...valid, peer: [] }, 'peer'],
    ];
    for (const [value, field] of cases) assert.equal(fieldOf(value), field, JSON.stringify(value));
  });
});
