import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HashSlotTable } from '../src/state/hash-slots.js';
import { NodeCache } from '../src/state/node-cache.js';
import { BlockLocationTables, NODE_LOCATION_LENGTH } from '../src/state/node-locations.js';
import { withSeed } from './property-support.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Keys as short random hashes, some sharing the last four bytes (the bytes that pick a slot). */
const key = fc.oneof(
  fc.uint8Array({ minLength: 8, maxLength: 8 }),
  fc.uint8Array({ minLength: 4, maxLength: 4 }).map((head) => Uint8Array.from([...head, 1, 2, 3, 4])),
);
const value = fc.uint8Array({ maxLength: 12 });

describe('HashSlotTable', () => {
  test('answers like a Map through sets, replacements, growth and clears', () =>
    withSeed((seed) =>
      fc.assert(
        fc.property(fc.array(fc.oneof(fc.tuple(fc.constant('set' as const), key, value), fc.tuple(fc.constant('clear' as const), key, value)), { maxLength: 400 }), (steps) => {
          const table = new HashSlotTable(8, 12, 2);
          const model = new Map<string, string>();
          for (const [kind, k, v] of steps) {
            if (kind === 'clear') {
              if (v.length === 0) {
                table.clear();
                model.clear();
              }
              continue;
            }
            table.set(k, 0, v);
            model.set(hex(k), hex(v));
          }
          assert.equal(table.size, model.size);
          for (const [, k] of steps) {
            const slot = table.find(k);
            const expected = model.get(hex(k));
            assert.equal(slot < 0 ? undefined : hex(table.valueView(slot)), expected);
          }
        }),
        { seed, numRuns: 300 },
      ),
    ));

  test('finds a key inside a larger array, and copies a value into place', () => {
    const table = new HashSlotTable(4, 3, 1);
    const record = Uint8Array.from([9, 9, 1, 2, 3, 4, 7, 8, 9]);
    table.set(record, 2, record, 6, 3);
    const slot = table.find(Uint8Array.from([1, 2, 3, 4]));
    assert.ok(slot >= 0);
    const target = new Uint8Array(5);
    table.copyValue(slot, target, 1);
    assert.deepEqual([...target], [0, 7, 8, 9, 0]);
    assert.equal(table.find(record, 1), -1);
    assert.throws(() => table.set(record, 2, new Uint8Array(4)), RangeError);
  });
});

describe('NodeCache', () => {
  const id = (n: number): Uint8Array => {
    const bytes = new Uint8Array(32);
    new DataView(bytes.buffer).setUint32(28, Math.imul(n, 0x9e3779b1) >>> 0);
    bytes[0] = n & 0xff;
    return bytes;
  };

  test('keeps at least its size of the most recent nodes, hands out copies, and skips records too large', () => {
    const filled = (): NodeCache => {
      const cache = new NodeCache(100);
      for (let n = 0; n < 1000; n++) cache.add(id(n), Uint8Array.of(n & 0xff, n >> 8));
      return cache;
    };
    // Each asked of a cache of its own: a read from the older generation moves the node and may turn the generations over.
    for (let n = 900; n < 1000; n++) assert.deepEqual([...(filled().get(id(n)) ?? [])], [n & 0xff, n >> 8], `node ${n}`);
    const cache = filled();
    assert.equal(cache.get(id(0)), undefined);
    const copy = cache.get(id(999));
    copy?.fill(0);
    assert.deepEqual([...(cache.get(id(999)) ?? [])], [999 & 0xff, 999 >> 8]);
    cache.add(id(5000), new Uint8Array(90));
    assert.equal(cache.get(id(5000)), undefined);
  });

  test('a node read from the older generation survives the next turnover', () => {
    const cache = new NodeCache(8);
    for (let n = 0; n < 6; n++) cache.add(id(n), Uint8Array.of(n));
    // Fill past a generation so that the first nodes are in the older one, then read node 0 back.
    for (let n = 100; n < 106; n++) cache.add(id(n), Uint8Array.of(n));
    assert.deepEqual([...(cache.get(id(0)) ?? [])], [0]);
    for (let n = 200; n < 205; n++) cache.add(id(n), Uint8Array.of(n));
    assert.deepEqual([...(cache.get(id(0)) ?? [])], [0]);
  });
});

describe('BlockLocationTables', () => {
  const id = (n: number): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => (n * 31 + i) & 0xff);
  const location = new Uint8Array(NODE_LOCATION_LENGTH).fill(7);

  test('hands out an empty table every time, reusing the one given back when it is large enough', () => {
    const tables = new BlockLocationTables();
    const first = tables.take(100);
    for (let n = 0; n < 100; n++) first.set(id(n), 0, location);
    tables.giveBack(first);
    const second = tables.take(50);
    assert.equal(second, first);
    assert.equal(second.size, 0);
    assert.equal(second.find(id(3)), -1);
    // Taken and not given back: the next walk gets a table of its own.
    assert.notEqual(tables.take(50), second);
  });

  test('a walk larger than the spare gets a new table; a huge one is not kept', () => {
    const tables = new BlockLocationTables();
    const small = tables.take(64);
    tables.giveBack(small);
    const larger = tables.take(10_000);
    assert.notEqual(larger, small);
    assert.ok(larger.capacity >= 10_000);
    tables.giveBack(larger);
    assert.equal(tables.take(64), larger);
    const huge = tables.take(300_000);
    tables.giveBack(huge);
    assert.notEqual(tables.take(64), huge);
  });
});
