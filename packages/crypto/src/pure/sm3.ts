import { HashMD } from '@noble/hashes/_md.js';
import { createHasher } from '@noble/hashes/utils.js';

/**
 * SM3 (GB/T 32905-2016) in JavaScript, on @noble/hashes' Merkle–Damgård base so that it streams
 * and plugs into noble's HMAC. SM3 pads exactly like SHA-256 (64-byte blocks, 64-bit big-endian
 * bit length), so only the compression function lives here.
 */

// Initial value IV, GB/T 32905-2016 §4.1.
const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e] as const;

// T_j <<< (j mod 32), precomputed for the 64 rounds (§4.2: T_j = 79cc4519 for j < 16, else 7a879d8a).
const ROTATED_T = Int32Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32));

// Message expansion W_0..W_67 (§5.3.2), shared by all instances: process() is never re-entered.
const W = new Int32Array(68);

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

function p0(x: number): number {
  return x ^ rotl(x, 9) ^ rotl(x, 17);
}

function p1(x: number): number {
  return x ^ rotl(x, 15) ^ rotl(x, 23);
}

class Sm3 extends HashMD<Sm3> {
  private a = IV[0] | 0;
  private b = IV[1] | 0;
  private c = IV[2] | 0;
  private d = IV[3] | 0;
  private e = IV[4] | 0;
  private f = IV[5] | 0;
  private g = IV[6] | 0;
  private h = IV[7] | 0;

  constructor() {
    super(64, 32, 8, false);
  }

  protected get(): number[] {
    return [this.a, this.b, this.c, this.d, this.e, this.f, this.g, this.h];
  }

  protected set(a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number): void {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    this.e = e | 0;
    this.f = f | 0;
    this.g = g | 0;
    this.h = h | 0;
  }

  protected process(view: DataView, offset: number): void {
    for (let j = 0; j < 16; j++, offset += 4) W[j] = view.getInt32(offset, false);
    for (let j = 16; j < 68; j++) {
      W[j] = p1(W[j - 16]! ^ W[j - 9]! ^ rotl(W[j - 3]!, 15)) ^ rotl(W[j - 13]!, 7) ^ W[j - 6]!;
    }
    let { a, b, c, d, e, f, g, h } = this;
    for (let j = 0; j < 64; j++) {
      const a12 = rotl(a, 12);
      const ss1 = rotl((a12 + e + ROTATED_T[j]!) | 0, 7);
      const ss2 = ss1 ^ a12;
      // FF_j and GG_j (§4.3): plain XOR for the first 16 rounds, majority / choice afterwards.
      const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
      const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      const tt1 = (ff + d + ss2 + (W[j]! ^ W[j + 4]!)) | 0;
      const tt2 = (gg + h + ss1 + W[j]!) | 0;
      d = c;
      c = rotl(b, 9);
      b = a;
      a = tt1;
      h = g;
      g = rotl(f, 19);
      f = e;
      e = p0(tt2);
    }
    this.set(a ^ this.a, b ^ this.b, c ^ this.c, d ^ this.d, e ^ this.e, f ^ this.f, g ^ this.g, h ^ this.h);
  }

  protected roundClean(): void {
    W.fill(0);
  }

  destroy(): void {
    this.destroyed = true;
    this.set(0, 0, 0, 0, 0, 0, 0, 0);
    this.buffer.fill(0);
  }

  _cloneInto(to?: Sm3): Sm3 {
    const target = to ?? new Sm3();
    target.set(this.a, this.b, this.c, this.d, this.e, this.f, this.g, this.h);
    return this._cloneIntoMeta(target);
  }
}

/** SM3 as a noble-style hash: `sm3(data)`, `sm3.create()`, usable with `hmac(sm3, key, data)`. */
export const sm3 = createHasher(() => new Sm3());
