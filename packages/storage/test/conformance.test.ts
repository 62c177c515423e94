import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KVStore, WriteBatch } from '../src/index.js';
import { MAX_KEY_BYTES } from '../src/index.js';
import type { StoreKind, TestStore } from './support.js';
import { STORE_KINDS, bytes, hex, hexEntries, hexKeys, storageError, text, write } from './support.js';

/** The contract of src/kv.ts, checked the same way against every adapter. */
async function withStore(kind: StoreKind, body: (store: KVStore, handle: TestStore) => Promise<void>): Promise<void> {
  const handle = kind.create();
  try {
    await body(handle.store, handle);
  } finally {
    await handle.dispose();
  }
}

/** Keys chosen to trip signed-byte, prefix and length mistakes; listed in the order they must sort. */
const ORDERED_KEYS = [
  bytes(0x00),
  bytes(0x00, 0x00),
  bytes(0x00, 0xff),
  bytes(0x01),
  bytes(0x01, 0x00),
  bytes(0x7f, 0xff, 0xff),
  bytes(0x80),
  bytes(0x80, 0x00),
  bytes(0xfe, 0xff),
  bytes(0xff),
  bytes(0xff, 0x00),
  bytes(0xff, 0xff),
  bytes(0xff, 0xff, 0xff),
];

async function storeOrderedKeys(store: KVStore): Promise<void> {
  // Insert in a scrambled order so that sorting is the store's doing.
  const scrambled = ORDERED_KEYS.map((key, index) => ({ key, index })).sort((a, b) => ((a.index * 7) % 13) - ((b.index * 7) % 13));
  await write(store, scrambled.map(({ key, index }) => [key, bytes(index)]));
}

const orderedHex = ORDERED_KEYS.map(hex);

for (const kind of STORE_KINDS) {
  describe(`${kind.name} conformance`, () => {
    test('get, put and delete', () =>
      withStore(kind, async (store) => {
        assert.equal(store.get(text('absent')), undefined);
        await write(store, [
          [text('a'), text('one')],
          [text('b'), text('two')],
        ]);
        assert.deepEqual(store.get(text('a')), text('one'));
        await write(store, [
          [text('a'), undefined],
          [text('b'), text('three')],
        ]);
        assert.equal(store.get(text('a')), undefined);
        assert.deepEqual(store.get(text('b')), text('three'));
        await write(store, [[text('never-stored'), undefined]]);
        assert.deepEqual(hexKeys(store.scan()), [hex(text('b'))]);
      }));

    test('values may be empty or large, and come back as plain Uint8Arrays', () =>
      withStore(kind, async (store) => {
        const large = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31) & 0xff);
        await write(store, [
          [text('empty'), new Uint8Array(0)],
          [text('large'), large],
          [Buffer.from('buffer-key'), Buffer.from('buffer-value')],
        ]);
        assert.deepEqual(store.get(text('empty')), new Uint8Array(0));
        assert.deepEqual(store.get(text('large')), large);
        assert.deepEqual(store.get(text('buffer-key')), text('buffer-value'));
        for (const { key, value } of store.scan()) {
          assert.equal(key.constructor, Uint8Array);
          assert.equal(value.constructor, Uint8Array);
        }
      }));

    test('a batch keeps the last write per key and shows nothing before commit', () =>
      withStore(kind, async (store) => {
        await write(store, [[text('k1'), text('old')]]);
        const batch = store.newBatch();
        batch.put(text('k1'), text('first'));
        batch.put(text('k1'), text('second'));
        batch.delete(text('k2'));
        batch.put(text('k2'), text('put after delete'));
        batch.put(text('k3'), text('deleted after put'));
        batch.delete(text('k3'));
        batch.delete(text('k1'));
        batch.put(text('k1'), text('last'));
        assert.equal(batch.size, 3);
        assert.deepEqual(store.get(text('k1')), text('old'));
        assert.equal(store.get(text('k2')), undefined);
        await store.commit(batch);
        assert.deepEqual(hexEntries(store.scan()), [
          [hex(text('k1')), hex(text('last'))],
          [hex(text('k2')), hex(text('put after delete'))],
        ]);
      }));

    test('batches commit in call order, even when not awaited one by one', () =>
      withStore(kind, async (store) => {
        const commits = [1, 2, 3].map((round) => {
          const batch = store.newBatch();
          batch.put(text('shared'), bytes(round));
          batch.put(text(`own-${round}`), bytes(round));
          if (round === 3) batch.delete(text('own-1'));
          return store.commit(batch);
        });
        await Promise.all(commits);
        assert.deepEqual(store.get(text('shared')), bytes(3));
        assert.deepEqual(hexKeys(store.scan()), [text('own-2'), text('own-3'), text('shared')].map(hex));
      }));

    test('an empty batch commits', () =>
      withStore(kind, async (store) => {
        const batch = store.newBatch();
        assert.equal(batch.size, 0);
        await store.commit(batch);
        assert.deepEqual([...store.scan()], []);
      }));

    test('bytes handed in or out are copies', () =>
      withStore(kind, async (store) => {
        const key = text('key');
        const value = text('value');
        const batch = store.newBatch();
        batch.put(key, value);
        key[0] = 0x7a;
        value[0] = 0x7a;
        await store.commit(batch);
        const read = store.get(text('key'));
        assert.deepEqual(read, text('value'));
        (read as Uint8Array)[0] = 0;
        const [entry] = [...store.scan()];
        assert.ok(entry);
        entry.value[1] = 0;
        entry.key[1] = 0;
        assert.deepEqual(store.get(text('key')), text('value'));
        assert.deepEqual(hexKeys(store.scan()), [hex(text('key'))]);
      }));

    test('binary keys sort as unsigned bytes, prefixes first', () =>
      withStore(kind, async (store) => {
        await storeOrderedKeys(store);
        assert.deepEqual(hexKeys(store.scan()), orderedHex);
        assert.deepEqual(hexKeys(store.scan({ reverse: true })), [...orderedHex].reverse());
        for (const [index, key] of ORDERED_KEYS.entries()) assert.deepEqual(store.get(key), bytes(index));
      }));

    test('scan bounds: start inclusive, end exclusive, in both directions', () =>
      withStore(kind, async (store) => {
        await storeOrderedKeys(store);
        const cases: { start?: Uint8Array; end?: Uint8Array; expected: string[] }[] = [
          { start: bytes(0x01), end: bytes(0xff), expected: orderedHex.slice(3, 9) },
          { start: bytes(0x00, 0x01), end: bytes(0x80, 0x00), expected: orderedHex.slice(2, 7) },
          { start: bytes(0xff, 0x00, 0x00), expected: orderedHex.slice(11) },
          { end: bytes(0x00, 0x00), expected: orderedHex.slice(0, 1) },
          { end: bytes(0x00, 0x00, 0x00), expected: orderedHex.slice(0, 2) },
          { start: bytes(0xff, 0xff, 0xff, 0x00), expected: [] },
          { start: bytes(0x01), end: bytes(0x01), expected: [] },
          { start: bytes(0x02), end: bytes(0x01), expected: [] },
          { start: bytes(0x02), end: bytes(0x03), expected: [] },
          { start: new Uint8Array(0), end: bytes(0x00, 0x01), expected: orderedHex.slice(0, 2) },
          { end: new Uint8Array(0), expected: [] },
        ];
        for (const { expected, ...bounds } of cases) {
          assert.deepEqual(hexKeys(store.scan(bounds)), expected, `forward ${JSON.stringify(bounds)}`);
          assert.deepEqual(hexKeys(store.scan({ ...bounds, reverse: true })), [...expected].reverse(), `reverse ${JSON.stringify(bounds)}`);
        }
      }));

    test('a prefix range holds exactly the keys with that prefix', () =>
      withStore(kind, async (store) => {
        await storeOrderedKeys(store);
        // Keys starting 0xff: from [0xff] up to, not including, the next prefix; 0xff has none, so no end.
        assert.deepEqual(hexKeys(store.scan({ start: bytes(0xff) })), orderedHex.slice(9));
        assert.deepEqual(hexKeys(store.scan({ start: bytes(0x00), end: bytes(0x01) })), orderedHex.slice(0, 3));
        assert.deepEqual(hexKeys(store.scan({ start: bytes(0xff, 0xff), reverse: true })), ['ffffff', 'ffff']);
      }));

    test('limits cut scans in either direction', () =>
      withStore(kind, async (store) => {
        await storeOrderedKeys(store);
        assert.deepEqual(hexKeys(store.scan({ limit: 0 })), []);
        assert.deepEqual(hexKeys(store.scan({ limit: 2 })), orderedHex.slice(0, 2));
        assert.deepEqual(hexKeys(store.scan({ limit: 100 })), orderedHex);
        assert.deepEqual(hexKeys(store.scan({ reverse: true, limit: 3 })), orderedHex.slice(-3).reverse());
        assert.deepEqual(hexKeys(store.scan({ start: bytes(0x01), end: bytes(0xff), reverse: true, limit: 2 })), ['fe' + 'ff', '80' + '00']);
        assert.deepEqual(hexKeys(store.scan({ start: bytes(0x01), limit: 1 })), ['01']);
      }));

    test('a scan reads the state as of its start and can be left early', () =>
      withStore(kind, async (store) => {
        await write(store, [1, 2, 3, 4].map((n) => [bytes(n), bytes(n)] as const));
        const iterator = store.scan()[Symbol.iterator]();
        assert.equal(hex(iterator.next().value?.key ?? new Uint8Array(0)), '01');
        await write(store, [
          [bytes(2), undefined],
          [bytes(3), bytes(33)],
          [bytes(5), bytes(5)],
        ]);
        const rest = [];
        for (let step = iterator.next(); step.done !== true; step = iterator.next()) rest.push(step.value);
        assert.deepEqual(hexEntries(rest), [
          ['02', '02'],
          ['03', '03'],
          ['04', '04'],
        ]);
        for (const entry of store.scan()) {
          assert.equal(hex(entry.key), '01');
          break;
        }
        assert.deepEqual(hexKeys(store.scan()), ['01', '03', '04', '05']);
      }));

    test('snapshots stay isolated from later commits', () =>
      withStore(kind, async (store) => {
        await write(store, [
          [text('a'), text('1')],
          [text('b'), text('1')],
        ]);
        const first = store.snapshot();
        await write(store, [
          [text('a'), text('2')],
          [text('b'), undefined],
          [text('c'), text('2')],
        ]);
        const second = store.snapshot();
        await write(store, [[text('a'), text('3')]]);
        assert.deepEqual(first.get(text('a')), text('1'));
        assert.deepEqual(first.get(text('b')), text('1'));
        assert.equal(first.get(text('c')), undefined);
        assert.deepEqual(hexEntries(first.scan()), [
          [hex(text('a')), hex(text('1'))],
          [hex(text('b')), hex(text('1'))],
        ]);
        assert.deepEqual(hexKeys(second.scan({ reverse: true })), [hex(text('c')), hex(text('a'))]);
        assert.deepEqual(second.get(text('a')), text('2'));
        assert.deepEqual(store.get(text('a')), text('3'));
        first.release();
        first.release();
        assert.throws(() => first.get(text('a')), storageError('CLOSED'));
        assert.throws(() => first.scan(), storageError('CLOSED'));
        assert.deepEqual(second.get(text('c')), text('2'));
        second.release();
      }));

    test('a scan of a snapshot fails once the snapshot is released', () =>
      withStore(kind, async (store) => {
        await write(store, [1, 2, 3].map((n) => [bytes(n), bytes(n)] as const));
        const snapshot = store.snapshot();
        const iterator = snapshot.scan()[Symbol.iterator]();
        iterator.next();
        snapshot.release();
        assert.throws(() => iterator.next(), storageError('CLOSED'));
      }));

    test('close waits for pending commits, then refuses everything', () =>
      withStore(kind, async (store, handle) => {
        const snapshot = store.snapshot();
        const batch = store.newBatch();
        batch.put(text('pending'), text('yes'));
        const committed = store.commit(batch);
        const spare = store.newBatch();
        await store.close();
        await committed;
        await store.close();
        assert.throws(() => store.get(text('pending')), storageError('CLOSED'));
        assert.throws(() => store.scan(), storageError('CLOSED'));
        assert.throws(() => store.newBatch(), storageError('CLOSED'));
        assert.throws(() => store.snapshot(), storageError('CLOSED'));
        assert.throws(() => snapshot.get(text('pending')), storageError('CLOSED'));
        spare.put(text('late'), text('no'));
        await assert.rejects(store.commit(spare), storageError('CLOSED'));
        if (kind.persistent) {
          const reopened = await handle.reopen();
          assert.deepEqual(reopened.get(text('pending')), text('yes'));
          assert.equal(reopened.get(text('late')), undefined);
        }
      }));

    test('a scan fails once its store is closed', () =>
      withStore(kind, async (store) => {
        await write(store, [1, 2, 3].map((n) => [bytes(n), bytes(n)] as const));
        const iterator = store.scan()[Symbol.iterator]();
        iterator.next();
        await store.close();
        assert.throws(() => iterator.next(), storageError('CLOSED'));
      }));

    test('keys: Uint8Array of 1 to MAX_KEY_BYTES bytes', () =>
      withStore(kind, async (store) => {
        const longest = new Uint8Array(MAX_KEY_BYTES).fill(0xab);
        await write(store, [[longest, text('fits')]]);
        assert.deepEqual(store.get(longest), text('fits'));
        assert.deepEqual(hexKeys(store.scan({ start: longest })), [hex(longest)]);
        const batch = store.newBatch();
        const badKeys: [unknown, string][] = [
          ['text', 'INVALID_KEY'],
          [[1, 2], 'INVALID_KEY'],
          [new Uint16Array(2), 'INVALID_KEY'],
          [undefined, 'INVALID_KEY'],
          [null, 'INVALID_KEY'],
          [new Uint8Array(0), 'INVALID_KEY'],
          [new Uint8Array(MAX_KEY_BYTES + 1), 'KEY_TOO_LARGE'],
        ];
        for (const [key, code] of badKeys) {
          const asKey = key as Uint8Array;
          assert.throws(() => batch.put(asKey, text('v')), storageError(code as 'INVALID_KEY'));
          assert.throws(() => batch.delete(asKey), storageError(code as 'INVALID_KEY'));
          assert.throws(() => store.get(asKey), storageError(code as 'INVALID_KEY'));
        }
        assert.equal(batch.size, 0);
      }));

    test('values must be Uint8Arrays', () =>
      withStore(kind, async (store) => {
        const batch = store.newBatch();
        for (const value of ['text', 42, undefined, null, [1], new ArrayBuffer(2), new DataView(new ArrayBuffer(2))]) {
          assert.throws(() => batch.put(text('k'), value as unknown as Uint8Array), storageError('INVALID_VALUE'));
        }
        await store.commit(batch);
        assert.equal(store.get(text('k')), undefined);
      }));

    test('bad scan options are refused', () =>
      withStore(kind, async (store) => {
        const bad: [unknown, string][] = [
          [{ limit: -1 }, 'INVALID_ARGUMENT'],
          [{ limit: 1.5 }, 'INVALID_ARGUMENT'],
          [{ limit: Number.NaN }, 'INVALID_ARGUMENT'],
          [{ limit: Infinity }, 'INVALID_ARGUMENT'],
          [{ start: 'a' }, 'INVALID_ARGUMENT'],
          [{ end: [1] }, 'INVALID_ARGUMENT'],
          [{ reverse: 'yes' }, 'INVALID_ARGUMENT'],
          [null, 'INVALID_ARGUMENT'],
          [{ start: new Uint8Array(MAX_KEY_BYTES + 1) }, 'KEY_TOO_LARGE'],
        ];
        for (const [options, code] of bad) {
          assert.throws(() => store.scan(options as object), storageError(code as 'INVALID_ARGUMENT'), JSON.stringify(options));
        }
      }));

    test('a batch commits once, and only to the store that made it', () =>
      withStore(kind, async (store) => {
        const other = kind.create();
        try {
          const foreign = other.store.newBatch();
          foreign.put(text('k'), text('v'));
          await assert.rejects(store.commit(foreign), storageError('INVALID_ARGUMENT'));
          const fake: WriteBatch = { put: () => undefined, delete: () => undefined, size: 0 };
          await assert.rejects(store.commit(fake), storageError('INVALID_ARGUMENT'));
        } finally {
          await other.dispose();
        }
        const batch = store.newBatch();
        batch.put(text('k'), text('v'));
        await store.commit(batch);
        await assert.rejects(store.commit(batch), storageError('INVALID_ARGUMENT'));
        assert.throws(() => batch.put(text('k2'), text('v')), storageError('INVALID_ARGUMENT'));
        assert.throws(() => batch.delete(text('k')), storageError('INVALID_ARGUMENT'));
        assert.deepEqual(store.get(text('k')), text('v'));
      }));
  });
}
