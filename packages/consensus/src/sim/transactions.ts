import { HashDigest } from '@jadechain/crypto';
import type { CryptoSuite } from '@jadechain/crypto';
import type { Prng } from './prng.js';

/**
 * Simulated transactions are bare 32-byte hashes that authenticate themselves: an 8-byte serial
 * and 24 bytes of SHA-256(client secret ‖ serial). Only the simulated clients know the secret,
 * so a Byzantine node cannot make a valid transaction up, just as it cannot forge a client's
 * signature; the ledger checks them the way a real one checks signatures.
 */
export class TransactionFactory {
  private readonly secret: Uint8Array;
  private serial = 0;

  constructor(
    private readonly suite: CryptoSuite,
    prng: Prng,
  ) {
    this.secret = prng.bytes(16);
  }

  /** A new transaction; an invalid one carries a wrong authenticator. */
  create(valid: boolean): HashDigest {
    const serial = ++this.serial;
    const raw = new Uint8Array(32);
    new DataView(raw.buffer).setBigUint64(0, BigInt(serial));
    raw.set(this.authenticator(raw.subarray(0, 8)), 8);
    if (!valid) raw[31] = (raw[31] as number) ^ 1;
    return new HashDigest('SHA256', raw);
  }

  isValid(transaction: HashDigest): boolean {
    const raw = transaction.raw;
    if (raw.length !== 32) return false;
    const expected = this.authenticator(raw.subarray(0, 8));
    for (let i = 0; i < 24; i++) if (raw[8 + i] !== expected[i]) return false;
    return true;
  }

  private authenticator(serial: Uint8Array): Uint8Array {
    const input = new Uint8Array(this.secret.length + 8);
    input.set(this.secret);
    input.set(serial, this.secret.length);
    return this.suite.hash('SHA256', input).raw.subarray(0, 24);
  }
}
