import { after, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterError, DurableRecordFile, RECORD_FILE_NAMES } from '../src/cluster/index.js';

/** The consensus record survives restarts and torn writes, and a damaged one stops the peer instead of being forgotten. */
const root = mkdtempSync(join(tmpdir(), 'jadechain-record-'));
let dir: string;
let runs = 0;

function slot(index: 0 | 1): string {
  return join(dir, RECORD_FILE_NAMES[index]);
}

function openOutcome(): string {
  try {
    const record = DurableRecordFile.open(dir).read();
    return record === undefined ? 'NONE' : new TextDecoder().decode(record);
  } catch (error) {
    if (error instanceof ClusterError) return error.code;
    throw error;
  }
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('consensus record file', () => {
  beforeEach(() => {
    dir = join(root, String(runs++));
    mkdirSync(dir);
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  test('a fresh ledger has no record; writes replace it in order and survive reopening', async () => {
    const file = DurableRecordFile.open(dir);
    assert.equal(file.read(), undefined);
    await Promise.all([file.write(text('first')), file.write(text('second')), file.write(text('third, longer than the others'))]);
    assert.equal(new TextDecoder().decode(file.read()), 'third, longer than the others');
    assert.equal(openOutcome(), 'third, longer than the others');
    // The two slots alternate: the older slot holds the record before.
    await file.close();
    const reopened = DurableRecordFile.open(dir);
    await reopened.write(text('fourth'));
    await reopened.close();
    assert.equal(openOutcome(), 'fourth');
  });

  test('a short record written over a longer one in place reads back as itself', async () => {
    const file = DurableRecordFile.open(dir);
    await file.write(text('a long record that fills the first slot'));
    await file.write(text('two'));
    await file.write(text('x'));
    await file.close();
    assert.ok(readFileSync(slot(0)).length > 16 + 1 + 32, 'slot 0 keeps the tail of the longer record');
    assert.equal(openOutcome(), 'x');
  });

  test('a torn or damaged latest slot leaves the record before it; both damaged is RECORD_CORRUPT', async () => {
    const file = DurableRecordFile.open(dir);
    await file.write(text('older record'));
    await file.write(text('newer record'));
    const newer = readFileSync(slot(1));
    const older = readFileSync(slot(0));
    writeFileSync(slot(1), newer.subarray(0, newer.length - 3));
    assert.equal(openOutcome(), 'older record');
    const flipped = Uint8Array.from(newer);
    flipped[20] = (flipped[20] ?? 0) ^ 1;
    writeFileSync(slot(1), flipped);
    assert.equal(openOutcome(), 'older record');
    // Bytes after the checksum are the rest of a longer, older record written over in place.
    writeFileSync(slot(1), Buffer.concat([newer, Uint8Array.of(0, 1, 2)]));
    assert.equal(openOutcome(), 'newer record');
    writeFileSync(slot(1), flipped);
    writeFileSync(slot(0), older.subarray(0, 5));
    assert.equal(openOutcome(), 'RECORD_CORRUPT');
    const foreign = Uint8Array.from(newer);
    foreign[0] = 0x7b;
    writeFileSync(slot(1), foreign);
    assert.equal(openOutcome(), 'RECORD_CORRUPT');
    writeFileSync(slot(1), newer);
    assert.equal(openOutcome(), 'newer record');
  });

  test('a write after a torn one goes on from the surviving record', async () => {
    const file = DurableRecordFile.open(dir);
    await file.write(text('one'));
    await file.write(text('two'));
    writeFileSync(slot(1), readFileSync(slot(1)).subarray(0, 10));
    const reopened = DurableRecordFile.open(dir);
    assert.equal(new TextDecoder().decode(reopened.read()), 'one');
    await reopened.write(text('three'));
    assert.equal(openOutcome(), 'three');
  });
});
