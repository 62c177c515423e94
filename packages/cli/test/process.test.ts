import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The compiled test lives in dist/test; the executable is bin/jadechain.js in the package.
const BIN = fileURLToPath(new URL('../../bin/jadechain.js', import.meta.url));

function jadechain(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, JADECHAIN_PASSWORD: undefined } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the real executable exits 0, 1 and 2 for valid, invalid and malformed verifications', () => {
  const pub = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
  const sig =
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';
  const base = ['crypto', 'verify', '--algorithm', 'ED25519', '--public-key-hex', pub, '--signature-hex'];
  assert.equal(jadechain([...base, sig, '--in-hex', '']).status, 0);
  assert.equal(jadechain([...base, sig, '--in-hex', '01']).status, 1);
  const malformed = jadechain([...base, sig.slice(1), '--in-hex', '']);
  assert.equal(malformed.status, 2);
  assert.match(malformed.stderr, /even number of digits/);
});

test('jadechain up --demo shows the algorithms and exercises every demo algorithm', () => {
  const r = jadechain(['up', '--demo']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /SM2 +address \S+ +signature verified/);
  assert.doesNotMatch(r.stdout, /FAILED/);
});

test('jadechain with no command prints help and --version the version', () => {
  const help = jadechain(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /keys/);
  assert.match(jadechain(['--version']).stdout, /\d+\.\d+\.\d+/);
});
