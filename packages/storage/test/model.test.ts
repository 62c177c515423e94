import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KVReader, ScanOptions } from '../src/index.js';
import { STORE_KINDS, checkProperty, hex, hexEntries } from './support.js';

/**
 * Model-based properties: random batches go to a store and to a plain Map, and every read must
 * agree. The model sorts with Buffer.compare, independently of the stores' own comparison.
 */
type Operation = { readonly key: Uint8Array; readonly value: Uint8Array | undefined };

class ModelStore {
  readonly #entries = new Map<string, { key: Uint8Array; value: Uint8Array }>();

  apply(batch: readonly Operation[]): void {
    const last = new Map<string, Operation>();
    for (const operation of batch) last.set(hex(operation.key), operation);
    for (const [id, { key, value }] of last) {
      if (value === undefined) this.#entries.delete(id);
      else this.#entries.set(id, { key, value });
    }
  }

  copy(): ModelStore {
    const copy = new ModelStore();
    for (const [id, entry] of this.#entries) copy.#entries.set(id, entry);
    return copy;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.#entries.get(hex(key))?.value;
  }

  scan({ start, end, reverse = false, limit = Infinity }: ScanOptions): [string, string][] {
    const inRange = [...this.#entries.values()]
      .filter(({ key }) => (start === undefined || Buffer.compare(key, start) >= 0) && (end === undefined || Buffer.compare(key, end) < 0))
      .sort((a, b) => Buffer.compare(a.key, b.key));
    if (reverse) inRange.reverse();
    return hexEntries(inRange.slice(0, limit));
  }
}

/** A few byte values around the signed/unsigned boundaries, so keys collide and prefix each other. */
const edgyKey = fc.array(fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff), { minLength: 1, maxLength: 3 }).map((b) => Uint8Array.from(b));
const anyKey = fc.uint8Array({ minLength: 1, maxLength: 3 });

function operation(key: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Operation> {
  return fc.record({ key, value: fc.option(fc.uint8Array({ maxLength: 6 }), { nil: undefined }) });
}

function scanOptions(key: fc.Arbitrary<Uint8Array>): fc.Arbitrary<ScanOptions> {
  const bound = fc.option(fc.oneof(key, fc.constant(new Uint8Array(0))), { nil: undefined });
  return fc
    .record({ start: bound, end: bound, reverse: fc.boolean(), limit: fc.option(fc.nat(12), { nil: undefined }) })
    .map(({ start, end, reverse, limit }) => ({
      reverse,
      ...(start === undefined ? {} : { start }),
      ...(end === undefined ? {} : { end }),
      ...(limit === undefined ? {} : { limit }),
    }));
}

function step(key: fc.Arbitrary<Uint8Array>, maxOperations: number) {
  return fc.record({
    batch: fc.array(operation(key), { maxLength: maxOperations }),
    scans: fc.array(scanOptions(key), { maxLength: 4 }),
    gets: fc.array(key, { maxLength: 4 }),
    holdSnapshot: fc.boolean(),
  });
}

function assertAgrees(reader: KVReader, model: ModelStore, scans: readonly ScanOptions[], gets: readonly Uint8Array[]): void {
  for (const options of scans) assert.deepEqual(hexEntries(reader.scan(options)), model.scan(options), JSON.stringify(options));
  for (const key of gets) assert.deepEqual(reader.get(key), model.get(key), hex(key));
  assert.deepEqual(hexEntries(reader.scan()), model.scan({}));
}

for (const kind of STORE_KINDS) {
  const runs = kind.persistent ? 60 : 250;
  describe(`${kind.name} against a model`, () => {
    for (const [label, key, maxOperations, steps, runsHere] of [
      ['edge-byte keys, small batches', edgyKey, 12, 8, runs],
      ['thousands of keys across chunk boundaries', anyKey, 500, 6, Math.ceil(runs / 10)],
    ] as const) {
      test(label, async () => {
        await checkProperty(
          fc.asyncProperty(fc.array(step(key, maxOperations), { minLength: 1, maxLength: steps }), async (program) => {
            const { store, dispose } = kind.create();
            const model = new ModelStore();
            try {
              for (const { batch, scans, gets, holdSnapshot } of program) {
                const snapshot = holdSnapshot ? store.snapshot() : undefined;
                const before = model.copy();
                const writes = store.newBatch();
                for (const { key: k, value } of batch) {
                  if (value === undefined) writes.delete(k);
                  else writes.put(k, value);
                }
                await store.commit(writes);
                model.apply(batch);
                assertAgrees(store, model, scans, gets);
                if (snapshot !== undefined) {
                  assertAgrees(snapshot, before, scans, gets);
                  snapshot.release();
                }
              }
            } finally {
              await dispose();
            }
          }),
          runsHere,
        );
      });
    }
  });
}
