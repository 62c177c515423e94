import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { encodeFrame, FrameDecoder, parseFrame, TransportError, type Frame } from '../src/index.js';
import { specExamples, withSeed } from './support.js';

const text = (value: string): Buffer => Buffer.from(value, 'utf8');

const SPEC_FRAMES: [string, Frame][] = [
  ['message-frame', { type: 'MESSAGE', channel: 1, body: text('tx') }],
  ['request-frame', { type: 'REQUEST', id: 7, channel: 2, body: text('ping') }],
  ['response-frame', { type: 'RESPONSE', id: 7, body: text('pong') }],
  ['error-frame', { type: 'ERROR', id: 7, code: 'NO_HANDLER', message: 'none' }],
  ['heartbeat-frame', { type: 'HEARTBEAT' }],
  ['close-frame', { type: 'CLOSE', code: 'NORMAL', message: 'bye' }],
];

/** Decodes a whole byte string, collecting frames; rethrows the decoder's error, if any. */
function decodeAll(bytes: Uint8Array[], maxFrameBytes = 1 << 16): Frame[] {
  const decoder = new FrameDecoder(maxFrameBytes);
  const frames: Frame[] = [];
  for (const chunk of bytes) decoder.push(Buffer.from(chunk), (frame) => frames.push(frame));
  return frames;
}

function refusal(bytes: Uint8Array, maxFrameBytes = 1 << 16): string {
  try {
    decodeAll([bytes], maxFrameBytes);
  } catch (error) {
    assert.ok(error instanceof TransportError);
    return error.code;
  }
  return 'accepted';
}

/** Frames compare by their fields, with bodies as hex. */
function plain(frame: Frame): Record<string, unknown> {
  return Object.fromEntries(Object.entries(frame).map(([key, value]) => [key, value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value]));
}

const frameArbitrary: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ type: fc.constant('HELLO' as const), binding: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ type: fc.constant('MESSAGE' as const), channel: fc.integer({ min: 0, max: 0xffff }), body: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ type: fc.constant('REQUEST' as const), id: fc.nat({ max: 0xffffffff }), channel: fc.integer({ min: 0, max: 0xffff }), body: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ type: fc.constant('RESPONSE' as const), id: fc.nat({ max: 0xffffffff }), body: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ type: fc.constant('ERROR' as const), id: fc.nat({ max: 0xffffffff }), code: fc.stringMatching(/^[A-Z0-9_]{1,64}$/), message: fc.string({ maxLength: 100 }) }),
  fc.constant({ type: 'HEARTBEAT' as const }),
  fc.record({ type: fc.constant('CLOSE' as const), code: fc.stringMatching(/^[A-Z0-9_]{1,64}$/), message: fc.string({ maxLength: 100, unit: 'grapheme' }) }),
);

describe('frame encoding', () => {
  const examples = specExamples();
  for (const [name, frame] of SPEC_FRAMES) {
    test(`${name} matches spec/transport.md §3`, () => {
      const expected = examples.get(name);
      assert.ok(expected !== undefined, `spec example ${name} is missing`);
      assert.equal(encodeFrame(frame).toString('hex'), expected.toString('hex'));
      assert.deepEqual(plain(parseFrame(expected.subarray(4))), plain(frame));
    });
  }

  test('fields out of range are refused when encoding', () => {
    assert.throws(() => encodeFrame({ type: 'MESSAGE', channel: 0x10000, body: new Uint8Array() }), RangeError);
    assert.throws(() => encodeFrame({ type: 'REQUEST', id: -1, channel: 0, body: new Uint8Array() }), RangeError);
    assert.throws(() => encodeFrame({ type: 'CLOSE', code: 'lower', message: '' }), RangeError);
  });

  test('reasons are cut so that they always fit the reason limit', () => {
    const frame = encodeFrame({ type: 'CLOSE', code: 'X', message: '\u{1F600}'.repeat(2000) });
    const parsed = decodeAll([frame])[0];
    assert.equal(parsed?.type, 'CLOSE');
    assert.ok(frame.length < 4 + 1 + 2 + 1024);
  });
});

describe('frame decoding refuses malformed input', () => {
  const cases: [string, string, string][] = [
    ['length 0', '00000000', 'MALFORMED_FRAME'],
    ['unknown type', '0000000108', 'MALFORMED_FRAME'],
    ['type 0', '0000000100', 'MALFORMED_FRAME'],
    ['MESSAGE without its channel', '000000020200', 'MALFORMED_FRAME'],
    ['REQUEST with a short header', '00000006030000000100', 'MALFORMED_FRAME'],
    ['RESPONSE with a short header', '0000000404000000', 'MALFORMED_FRAME'],
    ['ERROR without a code', '000000050500000001', 'MALFORMED_FRAME'],
    ['ERROR whose code runs past the end', '00000007050000000105414243', 'MALFORMED_FRAME'],
    ['CLOSE with an empty code', '000000020700', 'MALFORMED_FRAME'],
    ['CLOSE with a lower-case code', '0000000407026162', 'MALFORMED_FRAME'],
    ['CLOSE with ill-formed UTF-8', '0000000407014fc0', 'MALFORMED_FRAME'],
    ['HEARTBEAT with a payload', '000000020600', 'MALFORMED_FRAME'],
  ];
  for (const [name, hex, code] of cases) {
    test(name, () => assert.equal(refusal(Buffer.from(hex, 'hex')), code));
  }

  test('an oversized length is refused from the length field alone', () => {
    assert.equal(refusal(Buffer.from('00010001', 'hex'), 0x10000), 'FRAME_TOO_LARGE');
    assert.equal(refusal(Buffer.from('ffffffff', 'hex')), 'FRAME_TOO_LARGE');
    // Exactly at the limit is accepted.
    const atLimit = encodeFrame({ type: 'HELLO', binding: new Uint8Array(99) });
    assert.equal(decodeAll([atLimit], 100).length, 1);
    assert.equal(refusal(encodeFrame({ type: 'HELLO', binding: new Uint8Array(100) }), 100), 'FRAME_TOO_LARGE');
  });

  test('a reason longer than 1024 bytes is refused', () => {
    const payload = Buffer.concat([Buffer.of(0x07, 1, 0x41), Buffer.alloc(1025, 0x61)]);
    const frame = Buffer.concat([Buffer.alloc(4), payload]);
    frame.writeUInt32BE(payload.length, 0);
    assert.equal(refusal(frame), 'MALFORMED_FRAME');
  });

  test('decoded bodies own their bytes', () => {
    const stream = Buffer.concat([encodeFrame({ type: 'MESSAGE', channel: 1, body: text('first') }), encodeFrame({ type: 'HEARTBEAT' })]);
    const [first] = decodeAll([stream]);
    stream.fill(0);
    assert.deepEqual(first?.type === 'MESSAGE' ? Buffer.from(first.body).toString() : '', 'first');
  });
});

describe('frame properties', () => {
  test('any frames, split into any chunks, decode to the same frames in order', () => {
    withSeed((seed) =>
      fc.assert(
        fc.property(fc.array(frameArbitrary, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
          const stream = Buffer.concat(frames.map(encodeFrame));
          const points = [...new Set(cuts.map((cut) => (stream.length === 0 ? 0 : cut % stream.length)))].sort((a, b) => a - b);
          const chunks = [...points, stream.length].map((end, i) => stream.subarray(i === 0 ? 0 : (points[i - 1] as number), end));
          assert.deepEqual(decodeAll(chunks).map(plain), frames.map(plain));
        }),
        { seed, numRuns: 2000 },
      ),
    );
  });

  test('arbitrary bytes either decode or fail with a typed frame error, never anything else', () => {
    withSeed((seed) =>
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
          const outcome = refusal(bytes, 128);
          assert.ok(['accepted', 'MALFORMED_FRAME', 'FRAME_TOO_LARGE'].includes(outcome), outcome);
        }),
        { seed, numRuns: 5000 },
      ),
    );
  });

  test('any truncation of a valid stream is never an error, only an incomplete frame', () => {
    withSeed((seed) =>
      fc.assert(
        fc.property(frameArbitrary, fc.nat(), (frame, cut) => {
          const bytes = encodeFrame(frame);
          const decoder = new FrameDecoder(1 << 16);
          const delivered: Frame[] = [];
          decoder.push(bytes.subarray(0, cut % bytes.length), (decoded) => delivered.push(decoded));
          assert.equal(delivered.length, 0);
          assert.equal(decoder.buffered, cut % bytes.length);
        }),
        { seed, numRuns: 2000 },
      ),
    );
  });
});
