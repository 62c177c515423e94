import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterError, DurableRecordFile, RECORD_FILE_NAME } from '../src/cluster/index.js';

/** The consensus record survives restarts, and a damaged one stops the peer instead of being forgotten. */
let dir: string;

function corruptionOf(bytes: Uint8Array): string {
  writeFileSync(join(dir, RECORD_FILE_NAME), bytes);
  try {
    DurableRecordFile.open(dir);
  } catch (error) {
    if (error instanceof ClusterError) return error.code;
    throw error;
  }
  return 'OPENED';
}

describe('consensus record file', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-record-'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a fresh ledger has no record; writes replace it and survive reopening', async () => {
    const file = DurableRecordFile.open(dir);
    assert.equal(file.read(), undefined);
    await Promise.all([file.write(Uint8Array.of(1, 2, 3)), file.write(Uint8Array.of(4, 5))]);
    assert.deepEqual(file.read(), Uint8Array.of(4, 5));
    assert.deepEqual(DurableRecordFile.open(dir).read(), Uint8Array.of(4, 5));
    assert.equal(existsSync(join(dir, `${RECORD_FILE_NAME}.tmp`)), false);
  });

  test('a torn, damaged or foreign record is RECORD_CORRUPT', async () => {
    await DurableRecordFile.open(dir).write(new TextEncoder().encode('a record of some length'));
    const good = readFileSync(join(dir, RECORD_FILE_NAME));
    assert.equal(corruptionOf(good), 'OPENED');
    assert.equal(corruptionOf(good.subarray(0, good.length - 1)), 'RECORD_CORRUPT');
    assert.equal(corruptionOf(good.subarray(0, 5)), 'RECORD_CORRUPT');
    assert.equal(corruptionOf(new Uint8Array(0)), 'RECORD_CORRUPT');
    const flipped = Uint8Array.from(good);
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    assert.equal(corruptionOf(flipped), 'RECORD_CORRUPT');
    const foreign = Uint8Array.from(good);
    foreign[0] = 0x7b;
    assert.equal(corruptionOf(foreign), 'RECORD_CORRUPT');
  });
});
