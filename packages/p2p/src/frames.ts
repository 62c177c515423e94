import { TransportError, WIRE_CODE_PATTERN } from './errors.js';

/**
 * The frame layer (spec/transport.md §3): every frame is
 *
 *   length (u32, big-endian; the number of bytes after this field, at least 1) ‖ type (u8) ‖ payload
 *
 * and each type fixes the layout of its payload. Decoding is strict: an unknown type, a payload
 * too short for its type's header, a code outside [A-Z0-9_]{1,64} or ill-formed UTF-8 is
 * MALFORMED_FRAME; a length above the limit in force is FRAME_TOO_LARGE, detected from the
 * length field alone, before any of the frame is buffered.
 */
export const FrameType = {
  HELLO: 0x01,
  MESSAGE: 0x02,
  REQUEST: 0x03,
  RESPONSE: 0x04,
  ERROR: 0x05,
  HEARTBEAT: 0x06,
  CLOSE: 0x07,
} as const;

export type Frame =
  | { readonly type: 'HELLO'; readonly binding: Uint8Array }
  | { readonly type: 'MESSAGE'; readonly channel: number; readonly body: Uint8Array }
  | { readonly type: 'REQUEST'; readonly id: number; readonly channel: number; readonly body: Uint8Array }
  | { readonly type: 'RESPONSE'; readonly id: number; readonly body: Uint8Array }
  | { readonly type: 'ERROR'; readonly id: number; readonly code: string; readonly message: string }
  | { readonly type: 'HEARTBEAT' }
  | { readonly type: 'CLOSE'; readonly code: string; readonly message: string };

/** Bytes of the length field and of the type byte. */
export const LENGTH_BYTES = 4;
const TYPE_BYTES = 1;
/** Longest reason text in ERROR and CLOSE frames, in bytes. */
export const MAX_REASON_BYTES = 1024;
/** Reason texts are cut to this many UTF-16 units before encoding, which keeps them within MAX_REASON_BYTES. */
const MAX_REASON_UNITS = 256;

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function checkU16(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`${what} ${value} is not a u16`);
}

function checkU32(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`${what} ${value} is not a u32`);
}

function codeAndReason(code: string, message: string): Buffer {
  if (!WIRE_CODE_PATTERN.test(code)) throw new RangeError(`"${code}" is not a wire code`);
  const reason = utf8.encode(message.slice(0, MAX_REASON_UNITS));
  const out = Buffer.allocUnsafe(1 + code.length + reason.length);
  out[0] = code.length;
  out.write(code, 1, 'latin1');
  out.set(reason, 1 + code.length);
  return out;
}

/** The request id that RESPONSE and ERROR frames start with. */
function idHeader(id: number): Buffer {
  checkU32(id, 'request id');
  const header = Buffer.allocUnsafe(4);
  header.writeUInt32BE(id, 0);
  return header;
}

/** The header of a frame's payload (after the type byte) and its body, which is copied once. */
function assemble(type: number, header: Buffer | undefined, body: Uint8Array | undefined): Buffer {
  const headerLength = header?.length ?? 0;
  const bodyLength = body?.length ?? 0;
  const length = TYPE_BYTES + headerLength + bodyLength;
  const frame = Buffer.allocUnsafe(LENGTH_BYTES + length);
  frame.writeUInt32BE(length, 0);
  frame[LENGTH_BYTES] = type;
  if (header !== undefined) header.copy(frame, LENGTH_BYTES + TYPE_BYTES);
  if (body !== undefined) frame.set(body, LENGTH_BYTES + TYPE_BYTES + headerLength);
  return frame;
}

/** The bytes of one frame, length field included. Throws RangeError for out-of-range fields. */
export function encodeFrame(frame: Frame): Buffer {
  switch (frame.type) {
    case 'HELLO':
      return assemble(FrameType.HELLO, undefined, frame.binding);
    case 'MESSAGE': {
      checkU16(frame.channel, 'channel');
      const header = Buffer.allocUnsafe(2);
      header.writeUInt16BE(frame.channel, 0);
      return assemble(FrameType.MESSAGE, header, frame.body);
    }
    case 'REQUEST': {
      checkU32(frame.id, 'request id');
      checkU16(frame.channel, 'channel');
      const header = Buffer.allocUnsafe(6);
      header.writeUInt32BE(frame.id, 0);
      header.writeUInt16BE(frame.channel, 4);
      return assemble(FrameType.REQUEST, header, frame.body);
    }
    case 'RESPONSE':
      return assemble(FrameType.RESPONSE, idHeader(frame.id), frame.body);
    case 'ERROR':
      return assemble(FrameType.ERROR, Buffer.concat([idHeader(frame.id), codeAndReason(frame.code, frame.message)]), undefined);
    case 'HEARTBEAT':
      return assemble(FrameType.HEARTBEAT, undefined, undefined);
    case 'CLOSE':
      return assemble(FrameType.CLOSE, codeAndReason(frame.code, frame.message), undefined);
  }
}

function malformed(message: string): TransportError {
  return new TransportError('MALFORMED_FRAME', message);
}

function needAtLeast(payload: Buffer, bytes: number, what: string): void {
  if (payload.length < bytes) throw malformed(`${what} frame of ${payload.length} payload bytes is shorter than its ${bytes}-byte header`);
}

function parseCodeAndReason(bytes: Buffer, what: string): { code: string; message: string } {
  needAtLeast(bytes, 1, what);
  const codeLength = bytes[0] as number;
  needAtLeast(bytes, 1 + codeLength, what);
  const code = bytes.toString('latin1', 1, 1 + codeLength);
  if (!WIRE_CODE_PATTERN.test(code)) throw malformed(`${what} frame carries an invalid code`);
  const reason = bytes.subarray(1 + codeLength);
  if (reason.length > MAX_REASON_BYTES) throw malformed(`${what} reason of ${reason.length} bytes exceeds ${MAX_REASON_BYTES}`);
  try {
    return { code, message: strictUtf8.decode(reason) };
  } catch {
    throw malformed(`${what} reason is not well-formed UTF-8`);
  }
}

/** Parses the bytes after the length field (type byte first). */
export function parseFrame(bytes: Buffer): Frame {
  if (bytes.length < TYPE_BYTES) throw malformed('empty frame');
  const payload = bytes.subarray(TYPE_BYTES);
  switch (bytes[0]) {
    case FrameType.HELLO:
      return { type: 'HELLO', binding: payload };
    case FrameType.MESSAGE:
      needAtLeast(payload, 2, 'MESSAGE');
      return { type: 'MESSAGE', channel: payload.readUInt16BE(0), body: payload.subarray(2) };
    case FrameType.REQUEST:
      needAtLeast(payload, 6, 'REQUEST');
      return { type: 'REQUEST', id: payload.readUInt32BE(0), channel: payload.readUInt16BE(4), body: payload.subarray(6) };
    case FrameType.RESPONSE:
      needAtLeast(payload, 4, 'RESPONSE');
      return { type: 'RESPONSE', id: payload.readUInt32BE(0), body: payload.subarray(4) };
    case FrameType.ERROR: {
      needAtLeast(payload, 4, 'ERROR');
      return { type: 'ERROR', id: payload.readUInt32BE(0), ...parseCodeAndReason(payload.subarray(4), 'ERROR') };
    }
    case FrameType.HEARTBEAT:
      if (payload.length !== 0) throw malformed(`HEARTBEAT frame carries ${payload.length} payload bytes`);
      return { type: 'HEARTBEAT' };
    case FrameType.CLOSE:
      return { type: 'CLOSE', ...parseCodeAndReason(payload, 'CLOSE') };
    default:
      throw malformed(`unknown frame type 0x${(bytes[0] as number).toString(16).padStart(2, '0')}`);
  }
}

/**
 * Splits a byte stream into frames. Chunks are kept as they arrive and joined once per frame,
 * so a large frame arriving in many chunks costs one copy, not one per chunk. Every frame handed
 * out owns its bytes (no view into a larger socket buffer is kept alive by a retained body).
 * After it throws, a decoder must not be used again: the stream has lost its framing.
 */
export class FrameDecoder {
  #maxFrameBytes: number;
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  /** Total bytes (length field included) of the frame being assembled, once its length is known. */
  #expected: number | undefined;

  constructor(maxFrameBytes: number) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  /** The limit on a frame's length field; raised once a connection is authenticated. */
  set maxFrameBytes(value: number) {
    this.#maxFrameBytes = value;
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Feeds a chunk; calls `deliver` for every complete frame, in order. Throws TransportError. */
  push(chunk: Buffer, deliver: (frame: Frame, wireBytes: number) => void): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    while (true) {
      if (this.#expected === undefined) {
        if (this.#buffered < LENGTH_BYTES) return;
        const length = this.#peekLength();
        if (length === 0) throw malformed('frame length 0 (a frame has at least its type byte)');
        if (length > this.#maxFrameBytes) {
          throw new TransportError('FRAME_TOO_LARGE', `frame of ${length} bytes exceeds the limit of ${this.#maxFrameBytes}`);
        }
        this.#expected = LENGTH_BYTES + length;
      }
      if (this.#buffered < this.#expected) return;
      const wireBytes = this.#expected;
      const bytes = this.#take(wireBytes);
      this.#expected = undefined;
      deliver(parseFrame(bytes.subarray(LENGTH_BYTES)), wireBytes);
    }
  }

  #peekLength(): number {
    const first = this.#chunks[0] as Buffer;
    if (first.length >= LENGTH_BYTES) return first.readUInt32BE(0);
    return Buffer.concat(this.#chunks, LENGTH_BYTES).readUInt32BE(0);
  }

  /** Removes and returns exactly `count` leading bytes as a buffer of its own. */
  #take(count: number): Buffer {
    this.#buffered -= count;
    const first = this.#chunks[0] as Buffer;
    if (first.length === count) return this.#chunks.shift() as Buffer;
    if (first.length > count) {
      this.#chunks[0] = first.subarray(count);
      return Buffer.from(first.subarray(0, count));
    }
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.#chunks[0] as Buffer;
      const used = Math.min(chunk.length, count - filled);
      chunk.copy(out, filled, 0, used);
      filled += used;
      if (used === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(used);
    }
    return out;
  }
}
