import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { latin1Of } from '../src/index.js';

/** Node's own latin1 decoding is the reference: one character per byte, codes 0–255 unchanged. */
const reference = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe('latin1Of', () => {
  test('every byte value maps to the character of the same code', () => {
    const all = Uint8Array.from({ length: 256 }, (_, index) => index);
    const text = latin1Of(all);
    assert.equal(text.length, 256);
    for (let code = 0; code < 256; code++) assert.equal(text.charCodeAt(code), code);
    assert.equal(text, reference(all));
  });

  test('empty, short, views into larger buffers, and lengths around the 4096-byte chunk', () => {
    assert.equal(latin1Of(new Uint8Array(0)), '');
    const backing = Uint8Array.from({ length: 20_000 }, (_, index) => (index * 131 + 7) % 256);
    for (const [start, length] of [[0, 1], [3, 34], [5, 4095], [0, 4096], [1, 4097], [7, 8192], [11, 12_289]] as const) {
      const view = backing.subarray(start, start + length);
      assert.equal(latin1Of(view), reference(view), `${length} bytes from ${start}`);
    }
  });
});
