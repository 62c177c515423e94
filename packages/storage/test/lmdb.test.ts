import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LmdbStore } from '../src/index.js';
import { bytes, hex, hexEntries, storageError, temporaryDirectory, text, write } from './support.js';

/** What only the LMDB adapter has: files, reopening, map growth, damaged files. */
async function withDirectory(body: (directory: string) => Promise<void>): Promise<void> {
  const directory = temporaryDirectory('lmdb-only');
  try {
    await body(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function u32Key(n: number): Uint8Array {
  const key = new Uint8Array(4);
  new DataView(key.buffer).setUint32(0, n);
  return key;
}

describe('LmdbStore on disk', () => {
  test('committed data survives close and reopen', () =>
    withDirectory(async (directory) => {
      const store = LmdbStore.open(directory);
      await write(store, [
        [bytes(0xff), text('last')],
        [bytes(0x00), text('first')],
        [text('gone'), text('x')],
      ]);
      await write(store, [[text('gone'), undefined]]);
      await store.close();
      const reopened = LmdbStore.open(directory);
      assert.deepEqual(hexEntries(reopened.scan()), [
        ['00', hex(text('first'))],
        ['ff', hex(text('last'))],
      ]);
      await reopened.close();
    }));

  test('the map grows far past its initial size', () =>
    withDirectory(async (directory) => {
      const initialMapSize = 128 * 1024;
      const store = LmdbStore.open(directory, { mapSize: initialMapSize });
      const value = (n: number) => new Uint8Array(2048).fill(n & 0xff);
      for (let round = 0; round < 8; round++) {
        await write(store, Array.from({ length: 500 }, (_, i) => [u32Key(round * 500 + i), value(round * 500 + i)] as const));
      }
      assert.ok(statSync(join(directory, 'data.mdb')).size > 8 * 1024 * 1024);
      await store.close();
      const reopened = LmdbStore.open(directory, { mapSize: initialMapSize });
      let count = 0;
      for (const { key, value: stored } of reopened.scan()) {
        const n = new DataView(key.buffer, key.byteOffset).getUint32(0);
        assert.equal(n, count);
        assert.deepEqual(stored, value(n));
        count++;
      }
      assert.equal(count, 4000);
      await reopened.close();
    }));

  test('values read earlier keep their bytes while later commits reuse pages', () =>
    withDirectory(async (directory) => {
      const store = LmdbStore.open(directory);
      const big = (n: number) => new Uint8Array(100_000).fill(n);
      await write(store, [
        [text('big'), big(1)],
        [text('small'), bytes(1)],
      ]);
      const bigRead = store.get(text('big'));
      const smallRead = store.get(text('small'));
      const [scannedBig] = [...store.scan({ limit: 1 })];
      for (let round = 2; round < 12; round++) {
        await write(store, [
          [text('big'), big(round)],
          [text('small'), bytes(round)],
          [u32Key(round), big(round)],
        ]);
      }
      assert.deepEqual(bigRead, big(1));
      assert.deepEqual(smallRead, bytes(1));
      assert.deepEqual(scannedBig?.value, big(1));
      assert.deepEqual(store.get(text('big')), big(11));
      await store.close();
    }));

  test('one path opens once per process', () =>
    withDirectory(async (directory) => {
      const store = LmdbStore.open(directory);
      assert.throws(() => LmdbStore.open(join(directory, '.')), storageError('IO'));
      await store.close();
      const again = LmdbStore.open(directory);
      await again.close();
    }));

  test('a path that cannot hold a store fails with IO', () =>
    withDirectory(async (directory) => {
      const file = join(directory, 'plain-file');
      writeFileSync(file, 'not a directory');
      assert.throws(() => LmdbStore.open(join(file, 'store')), storageError('IO'));
    }));

  test('files that are not a valid LMDB environment fail with CORRUPT, before LMDB reads them', () =>
    withDirectory(async (directory) => {
      const valid = join(directory, 'valid');
      const store = LmdbStore.open(valid);
      await write(store, [[text('k'), text('v')]]);
      await store.close();
      const good = readFileSync(join(valid, 'data.mdb'));
      const damaged: [string, Uint8Array][] = [
        ['garbage', Uint8Array.from({ length: 16384 }, (_, i) => (i * 131 + 7) & 0xff)],
        ['zeros', new Uint8Array(16384)],
        ['one page only', good.subarray(0, 4096)],
        ['a few bytes', good.subarray(0, 100)],
        ['bad magic', patched(good, 24, 0x00)],
        ['other data version', patched(good, 28, 0x63)],
        ['second meta page damaged', patched(good, 4096 + 24, 0x00)],
      ];
      for (const [label, content] of damaged) {
        const target = join(directory, label.replaceAll(' ', '-'));
        mkdirSync(target);
        writeFileSync(join(target, 'data.mdb'), content);
        assert.throws(() => LmdbStore.open(target), storageError('CORRUPT'), label);
      }
      const copy = join(directory, 'copy');
      mkdirSync(copy);
      copyFileSync(join(valid, 'data.mdb'), join(copy, 'data.mdb'));
      const reopened = LmdbStore.open(copy);
      assert.deepEqual(reopened.get(text('k')), text('v'));
      await reopened.close();
    }));

  test('snapshots of many versions can be held at once', () =>
    withDirectory(async (directory) => {
      const store = LmdbStore.open(directory);
      const snapshots = [];
      for (let version = 0; version < 40; version++) {
        await write(store, [[text('version'), bytes(version)]]);
        snapshots.push(store.snapshot());
      }
      for (const [version, snapshot] of snapshots.entries()) assert.deepEqual(snapshot.get(text('version')), bytes(version));
      for (const snapshot of snapshots) snapshot.release();
      await store.close();
    }));
});

function patched(original: Uint8Array, offset: number, byte: number): Uint8Array {
  const copy = new Uint8Array(original);
  copy[offset] = byte;
  return copy;
}
