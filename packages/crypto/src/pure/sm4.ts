import { CryptoError } from '../errors.js';

/**
 * SM4 block cipher (GB/T 32907-2016) in JavaScript: encryption direction only, which is all
 * counter mode needs. Round function and key schedule follow §6 and §7.3 of the standard; the
 * S-box and the linear transform L are merged into one 256-entry table (a rotation of it per
 * byte position) so that a round is four lookups and XORs.
 */

// S-box, GB/T 32907-2016 §6.2 (rows 0x0_ .. 0xF_).
const SBOX = hexBytes(
  'd690e9fecce13db716b614c228fb2c05' +
    '2b679a762abe04c3aa44132649860699' +
    '9c4250f491ef987a33540b43edcfac62' +
    'e4b31ca9c908e89580df94fa758f3fa6' +
    '4707a7fcf37317ba83593c19e6854fa8' +
    '686b81b27164da8bf8eb0f4b70569d35' +
    '1e240e5e6358d1a225227c3b01217887' +
    'd40046579fd327524c3602e7a0c4c89e' +
    'eabf8ad240c738b5a3f7f2cef96115a1' +
    'e0ae5da49b341a55ad933230f58cb1e3' +
    '1df6e22e8266ca60c02923ab0d534e6f' +
    'd5db3745defd8e2f03ff6a726d6c5b51' +
    '8d1baf92bbddbc7f11d95c411f105ad8' +
    '0ac13188a5cd7bbd2d74d012b8e5b4b0' +
    '8969974a0c96777e65b9f109c56ec684' +
    '18f07dec3adc4d2079ee5f3ed7cb3948',
);

// System parameter FK, §7.3.
const FK = [0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc] as const;

// Fixed parameter CK_i: byte j of CK_i is (4i + j)·7 mod 256, §7.3.
const CK = Int32Array.from({ length: 32 }, (_, i) => {
  let word = 0;
  for (let j = 0; j < 4; j++) word = (word << 8) | (((4 * i + j) * 7) & 0xff);
  return word;
});

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

function sbox(index: number): number {
  return SBOX[index & 0xff]!;
}

// L(B) = B ⊕ (B<<<2) ⊕ (B<<<10) ⊕ (B<<<18) ⊕ (B<<<24) applied to Sbox(x)<<24; other byte
// positions are rotations of this table because L commutes with rotation.
const ROUND_TABLE = Int32Array.from({ length: 256 }, (_, x) => {
  const b = sbox(x) << 24;
  return b ^ rotl(b, 2) ^ rotl(b, 10) ^ rotl(b, 18) ^ rotl(b, 24);
});

function roundT(x: number): number {
  return (
    ROUND_TABLE[x >>> 24]! ^
    rotl(ROUND_TABLE[(x >>> 16) & 0xff]!, 24) ^
    rotl(ROUND_TABLE[(x >>> 8) & 0xff]!, 16) ^
    rotl(ROUND_TABLE[x & 0xff]!, 8)
  );
}

// T' of the key schedule: τ followed by L'(B) = B ⊕ (B<<<13) ⊕ (B<<<23).
function keyT(x: number): number {
  const b = (sbox(x >>> 24) << 24) | (sbox(x >>> 16) << 16) | (sbox(x >>> 8) << 8) | sbox(x);
  return b ^ rotl(b, 13) ^ rotl(b, 23);
}

function readWord(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
}

function writeWord(bytes: Uint8Array, offset: number, word: number): void {
  bytes[offset] = word >>> 24;
  bytes[offset + 1] = word >>> 16;
  bytes[offset + 2] = word >>> 8;
  bytes[offset + 3] = word;
}

export class Sm4 {
  static readonly BLOCK_LENGTH = 16;
  readonly #roundKeys = new Int32Array(32);

  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new CryptoError('INVALID_LENGTH', `SM4 key must be 16 bytes, got ${key.length}`);
    let k0 = readWord(key, 0) ^ FK[0];
    let k1 = readWord(key, 4) ^ FK[1];
    let k2 = readWord(key, 8) ^ FK[2];
    let k3 = readWord(key, 12) ^ FK[3];
    for (let i = 0; i < 32; i++) {
      const next = k0 ^ keyT(k1 ^ k2 ^ k3 ^ CK[i]!);
      this.#roundKeys[i] = next;
      [k0, k1, k2, k3] = [k1, k2, k3, next];
    }
  }

  /** Encrypts the 16 bytes at input[inOffset] into output[outOffset] (the two may alias). */
  encryptBlock(input: Uint8Array, inOffset: number, output: Uint8Array, outOffset: number): void {
    const rk = this.#roundKeys;
    let x0 = readWord(input, inOffset);
    let x1 = readWord(input, inOffset + 4);
    let x2 = readWord(input, inOffset + 8);
    let x3 = readWord(input, inOffset + 12);
    for (let i = 0; i < 32; i += 4) {
      x0 ^= roundT(x1 ^ x2 ^ x3 ^ rk[i]!);
      x1 ^= roundT(x2 ^ x3 ^ x0 ^ rk[i + 1]!);
      x2 ^= roundT(x3 ^ x0 ^ x1 ^ rk[i + 2]!);
      x3 ^= roundT(x0 ^ x1 ^ x2 ^ rk[i + 3]!);
    }
    // The reverse transform R: output (X35, X34, X33, X32).
    writeWord(output, outOffset, x3);
    writeWord(output, outOffset + 4, x2);
    writeWord(output, outOffset + 8, x1);
    writeWord(output, outOffset + 12, x0);
  }
}

/**
 * SM4 in counter mode with OpenSSL's counter rule: the 16-byte IV is the first counter block and
 * is incremented as one 128-bit big-endian integer (wrapping), so the node backend's 'sm4-ctr'
 * and this function agree byte for byte. Encryption and decryption are the same operation.
 */
export function sm4Ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (iv.length !== 16) throw new CryptoError('INVALID_LENGTH', `SM4-CTR IV must be 16 bytes, got ${iv.length}`);
  const cipher = new Sm4(key);
  const counter = Uint8Array.from(iv);
  const keystream = new Uint8Array(16);
  const out = new Uint8Array(data.length);
  for (let offset = 0; offset < data.length; offset += 16) {
    cipher.encryptBlock(counter, 0, keystream, 0);
    const end = Math.min(16, data.length - offset);
    for (let i = 0; i < end; i++) out[offset + i] = data[offset + i]! ^ keystream[i]!;
    for (let i = 15; i >= 0; i--) {
      counter[i] = (counter[i]! + 1) & 0xff;
      if (counter[i] !== 0) break;
    }
  }
  return out;
}
