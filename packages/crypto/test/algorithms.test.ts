import { test } from 'node:test';
import assert from 'node:assert/strict';
import { algorithmByCode, algorithmByName, allAlgorithms, CryptoError, hashAlgorithm } from '../src/index.js';

test('JD Chain codes are kept for byte-identical algorithms (JDCHAIN-REFERENCE §5)', () => {
  // Signed int16 codes from JD Chain's ClassicCryptoService / SMCryptoService.
  const jd: Record<string, number> = { ED25519: 16661, 'ECDSA-P256': 16662, RSA: -16105, SHA256: 8216, RIPEMD160: 8217, SM2: -16126, SM3: 8195 };
  for (const [name, signed] of Object.entries(jd)) {
    assert.equal(algorithmByName(name).code, signed & 0xffff, name);
    assert.equal(algorithmByName(name).jdChainCompatible, true);
  }
});

test('codes are unique and lookups round-trip', () => {
  const codes = new Set(allAlgorithms().map((a) => a.code));
  assert.equal(codes.size, allAlgorithms().length);
  for (const a of allAlgorithms()) assert.equal(algorithmByCode(a.code).name, a.name);
});

test('unknown names and wrong kinds are typed errors', () => {
  assert.throws(() => algorithmByName('MD5'), (e: unknown) => e instanceof CryptoError && e.code === 'UNKNOWN_ALGORITHM');
  assert.throws(() => algorithmByCode(0x1234), (e: unknown) => e instanceof CryptoError && e.code === 'UNKNOWN_ALGORITHM');
  assert.throws(() => hashAlgorithm('ED25519'), (e: unknown) => e instanceof CryptoError && e.code === 'WRONG_ALGORITHM');
  assert.equal(hashAlgorithm('sm3'), 'SM3');
});
