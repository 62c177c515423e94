import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './helpers.js';

function withKeystore(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jadechain-keys-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('keys generate, list and show work with a password from the environment', withKeystore(async (dir) => {
  const env = { JADECHAIN_PASSWORD: 'correct horse' };
  const generated = await run(['keys', '--keystore', dir, 'generate', '--algorithm', 'SM2', '--name', 'alice', '--json'], env);
  assert.equal(generated.code, 0, generated.stderr);
  const alice = JSON.parse(generated.stdout) as Record<string, string>;
  assert.equal(alice['algorithm'], 'SM2');
  const key = readdirSync(dir).find((f) => f.startsWith('alice'));
  assert.ok(key !== undefined);
  assert.equal(statSync(join(dir, key)).mode & 0o777, 0o600);

  const listed = await run(['keys', '--keystore', dir, 'list', '--json'], {});
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual((JSON.parse(listed.stdout) as Array<Record<string, string>>).map((k) => k['name']), ['alice']);

  const shown = await run(['keys', '--keystore', dir, 'show', 'alice', '--json'], {});
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal((JSON.parse(shown.stdout) as Record<string, string>)['address'], alice['address']);
}));

test('keys generate takes the password from --password-file', withKeystore(async (dir) => {
  const file = join(dir, 'pw.txt');
  writeFileSync(file, 'from a file\nignored second line\n');
  const r = await run(['keys', '--keystore', dir, 'generate', '--name', 'bob', '--password-file', file], {});
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ED25519/);
}));

test('keys commands refuse bad input with exit 2', withKeystore(async (dir) => {
  const env = { JADECHAIN_PASSWORD: 'pw' };
  assert.equal((await run(['keys', '--keystore', dir, 'generate', '--name', 'carol'], env)).code, 0);
  const cases: Array<[string[], Record<string, string>]> = [
    [['keys', '--keystore', dir, 'generate', '--name', 'carol'], env], // exists
    [['keys', '--keystore', dir, 'generate', '--name', '../escape'], env], // bad name
    [['keys', '--keystore', dir, 'generate', '--name', 'dave', '--algorithm', 'SHA256'], env], // not a signature algorithm
    [['keys', '--keystore', dir, 'generate', '--name', 'erin'], {}], // no password, no terminal
    [['keys', '--keystore', dir, 'show', 'nobody'], {}],
  ];
  for (const [argv, e] of cases) {
    const r = await run(argv, e);
    assert.equal(r.code, 2, `${argv.join(' ')} → ${r.code}`);
    assert.ok(r.stderr.length > 0);
  }
}));
