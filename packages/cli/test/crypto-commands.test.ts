import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from './helpers.js';

// RFC 8032 §7.1, TEST 1 (empty message).
const RFC8032_SECRET = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC8032_SIGNATURE =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

test('crypto hash prints the standard digests of "abc"', async () => {
  // FIPS 180-4 example (SHA-256), GB/T 32905-2016 Annex A.1 (SM3), RIPEMD-160 authors' page.
  const expected: Record<string, string> = {
    SHA256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    SM3: '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    RIPEMD160: '8eb208f7e05d987a9b044a8e98c6b087f15a0bfc',
  };
  for (const [algorithm, digest] of Object.entries(expected)) {
    const r = await run(['crypto', 'hash', '--algorithm', algorithm, '--in-hex', '616263']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), digest, algorithm);
  }
});

test('crypto sign reproduces RFC 8032 TEST 1 and verify accepts it', async () => {
  const signed = await run(['crypto', 'sign', '--algorithm', 'ED25519', '--private-key-hex', RFC8032_SECRET, '--in-hex', '']);
  assert.equal(signed.code, 0, signed.stderr);
  assert.equal(signed.stdout.trim(), RFC8032_SIGNATURE);
  const verified = await run([
    'crypto', 'verify', '--algorithm', 'ED25519', '--public-key-hex', RFC8032_PUBLIC,
    '--signature-hex', RFC8032_SIGNATURE, '--in-hex', '',
  ]);
  assert.equal(verified.code, 0, verified.stderr);
});

test('crypto verify exits 1 for a wrong message and for a non-canonical S', async () => {
  const wrongMessage = await run([
    'crypto', 'verify', '--algorithm', 'ED25519', '--public-key-hex', RFC8032_PUBLIC,
    '--signature-hex', RFC8032_SIGNATURE, '--in-hex', '00',
  ]);
  assert.equal(wrongMessage.code, 1);
  // S + L (little-endian) is the same signature under the group law but not canonical: the strict
  // rule rejects it.
  const L = (1n << 252n) + 27742317777372353535851937790883648493n;
  const sig = Buffer.from(RFC8032_SIGNATURE, 'hex');
  const s = BigInt('0x' + Buffer.from(sig.subarray(32)).reverse().toString('hex')) + L;
  const sPlusL = Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse();
  const malleated = Buffer.concat([sig.subarray(0, 32), sPlusL]).toString('hex');
  const r = await run([
    'crypto', 'verify', '--algorithm', 'ED25519', '--public-key-hex', RFC8032_PUBLIC,
    '--signature-hex', malleated, '--in-hex', '',
  ]);
  assert.equal(r.code, 1);
});

test('every signature algorithm signs and verifies through the CLI, ECDSA and SM2 also with DER', async () => {
  const scalar = '0f'.repeat(32);
  for (const algorithm of ['ED25519', 'ECDSA-P256', 'ECDSA-SECP256K1', 'SM2']) {
    const signed = await run(['crypto', 'sign', '--algorithm', algorithm, '--private-key-hex', scalar, '--in-hex', 'cafe']);
    assert.equal(signed.code, 0, `${algorithm}: ${signed.stderr}`);
    assert.equal(signed.stdout.trim().length, 128, algorithm);
  }
});

test('bad input exits 2 with a message on stderr', async () => {
  const cases: string[][] = [
    ['crypto', 'hash', '--algorithm', 'MD5', '--in-hex', '00'],
    ['crypto', 'hash', '--algorithm', 'ED25519', '--in-hex', '00'],
    ['crypto', 'hash', '--algorithm', 'SHA256', '--in-hex', '0'],
    ['crypto', 'hash', '--algorithm', 'SHA256', '--in-hex', 'zz'],
    ['crypto', 'hash', '--algorithm', 'SHA256'],
    ['crypto', 'verify', '--algorithm', 'ED25519', '--public-key-hex', RFC8032_PUBLIC.slice(2), '--signature-hex', RFC8032_SIGNATURE, '--in-hex', ''],
    ['crypto', 'verify', '--algorithm', 'ED25519', '--public-key-hex', RFC8032_PUBLIC, '--signature-hex', RFC8032_SIGNATURE + '00', '--in-hex', ''],
    ['crypto', 'verify', '--algorithm', 'SM2', '--public-key-hex', '04' + '11'.repeat(64), '--signature-hex', '3001', '--in-hex', ''],
    ['crypto', 'sign', '--algorithm', 'ED25519', '--private-key-hex', 'abcd', '--in-hex', ''],
    ['crypto', 'address', '--algorithm', 'ED25519', '--public-key-hex', 'abcd'],
    ['crypto', 'nonsense'],
  ];
  for (const argv of cases) {
    const r = await run(argv);
    assert.equal(r.code, 2, `${argv.join(' ')} → ${r.code} ${r.stdout}`);
    assert.ok(r.stderr.length > 0, `${argv.join(' ')} printed nothing on stderr`);
  }
});

test('crypto address derives the address of a public key and it checks out', async () => {
  const r = await run(['crypto', 'address', '--algorithm', 'ED25519', '--public-key-hex', RFC8032_PUBLIC]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^[1-9A-HJ-NP-Za-km-z]{30,40}$/);
});
