import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeystoreDir } from '../src/keystore-dir.js';
import { createCryptoSuite } from '../src/suite.js';
import { BACKENDS, cryptoError, utf8 } from './vector-support.js';

const PASSWORD = utf8('keystore test password');
const FAST = { scrypt: { N: 1024 } };

function withTemporaryDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'jadechain-keystore-'));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const backend of BACKENDS) {
  const suite = createCryptoSuite(backend);

  describe(`keystore folder, ${backend.name} backend`, () => {
    test('create, list, show and unlock; files are <name>.key.json with mode 0600 and no leftovers', () => {
      withTemporaryDir((root) => {
        const dir = join(root, 'keys');
        const store = new KeystoreDir(dir, suite);
        assert.deepEqual(store.list(), []);
        const alice = suite.generateKeyPair('ED25519');
        const bob = suite.generateKeyPair('SM2');
        const created = store.create('alice', alice, PASSWORD, { ...FAST, createdAt: '2024-05-01T08:00:00.000Z' });
        store.create('bob.sm', bob, PASSWORD, { ...FAST, cipher: 'SM4-CTR-HMAC-SM3' });
        assert.equal(created.name, 'alice');
        assert.ok(created.publicKey.equals(alice.publicKey));
        assert.ok(created.address.equals(alice.publicKey.address()));
        assert.equal(created.createdAt, '2024-05-01T08:00:00.000Z');
        assert.deepEqual(readdirSync(dir).sort(), ['alice.key.json', 'bob.sm.key.json']);
        assert.equal(statSync(join(dir, 'alice.key.json')).mode & 0o777, 0o600);
        assert.deepEqual(store.list().map((entry) => [entry.name, entry.algorithm]), [['alice', 'ED25519'], ['bob.sm', 'SM2']]);
        assert.equal(store.show('bob.sm').address.toBase58(), bob.publicKey.address().toBase58());
        assert.match(store.show('bob.sm').createdAt ?? '', /^\d{4}-\d\d-\d\dT/);
        assert.ok(store.unlock('alice', PASSWORD).equals(alice.privateKey));
        assert.ok(new KeystoreDir(dir, suite).unlock('bob.sm', PASSWORD).equals(bob.privateKey));
      });
    });

    test('names are checked; taken names are KEYSTORE_EXISTS, missing ones KEYSTORE_NOT_FOUND', () => {
      withTemporaryDir((dir) => {
        const store = new KeystoreDir(dir, suite);
        const pair = suite.generateKeyPair('ED25519');
        store.create('k1', pair, PASSWORD, FAST);
        assert.throws(() => store.checkNewName('k1'), cryptoError('KEYSTORE_EXISTS'));
        assert.throws(() => store.create('k1', pair, PASSWORD, FAST), cryptoError('KEYSTORE_EXISTS'));
        assert.throws(() => store.show('k2'), cryptoError('KEYSTORE_NOT_FOUND'));
        assert.throws(() => store.unlock('k2', PASSWORD), cryptoError('KEYSTORE_NOT_FOUND'));
        for (const name of ['../escape', 'a/b', '', 'x'.repeat(65), 'sp ace']) {
          assert.throws(() => store.checkNewName(name), cryptoError('INVALID_ENCODING'), name);
          assert.throws(() => store.show(name), cryptoError('INVALID_ENCODING'), name);
        }
        assert.throws(() => store.unlock('k1', utf8('wrong')), cryptoError('WRONG_PASSWORD'));
        const stranger = suite.generateKeyPair('ED25519');
        assert.throws(
          () => store.create('k3', { publicKey: stranger.publicKey, privateKey: pair.privateKey }, PASSWORD, FAST),
          cryptoError('INVALID_KEY'),
        );
      });
    });

    test('renamed, swapped or damaged files are KEYSTORE_CORRUPT; other files are ignored', () => {
      withTemporaryDir((dir) => {
        const store = new KeystoreDir(dir, suite);
        store.create('a', suite.generateKeyPair('ED25519'), PASSWORD, FAST);
        store.create('b', suite.generateKeyPair('ED25519'), PASSWORD, FAST);
        writeFileSync(join(dir, 'notes.txt'), 'not a key');
        renameSync(join(dir, 'a.key.json'), join(dir, 'c.key.json'));
        assert.throws(() => store.show('c'), cryptoError('KEYSTORE_CORRUPT'));
        assert.throws(() => store.unlock('c', PASSWORD), cryptoError('KEYSTORE_CORRUPT'));
        assert.throws(() => store.list(), cryptoError('KEYSTORE_CORRUPT'));
        renameSync(join(dir, 'c.key.json'), join(dir, 'a.key.json'));
        assert.deepEqual(store.list().map((entry) => entry.name), ['a', 'b']);
        writeFileSync(join(dir, 'b.key.json'), readFileSync(join(dir, 'b.key.json'), 'utf8').slice(0, 100));
        assert.throws(() => store.show('b'), cryptoError('KEYSTORE_CORRUPT'));
      });
    });
  });
}
