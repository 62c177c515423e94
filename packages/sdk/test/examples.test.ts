import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalNetwork, type LocalNetwork } from './local-network.js';

/** The getting-started guide's examples (docs/examples/*.mjs), run as a reader runs them. */
const examples = fileURLToPath(new URL('../../../../docs/examples/', import.meta.url));

function example(name: string, args: readonly string[], dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(examples, name), ...args], { encoding: 'utf8', env: { ...process.env, JADECHAIN_DIR: dir } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('docs/examples against a real network', { timeout: 90_000 }, () => {
  let network: LocalNetwork;
  before(async () => {
    network = await startLocalNetwork();
  });
  after(async () => network?.stop());

  test('write-and-read.mjs writes a value and reads it back; verify-proof.mjs proves it and proves an absent key absent', async () => {
    const written = await example('write-and-read.mjs', [], network.dir);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stdout, /: SUCCESS in block \d+/);
    assert.match(written.stdout, /greeting = "hello, JadeChain" \(version 0\)/);
    const account = /account (\w+)/.exec(written.stdout)?.[1];
    assert.ok(account !== undefined, written.stdout);
    const verified = await example('verify-proof.mjs', [account], network.dir);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /^verified: greeting = "hello, JadeChain" \(TEXT, version 0\) at block \d+ \(\w+\), signed by 1 participant\(s\)/);
    const absent = await example('verify-proof.mjs', [account, 'no-such-key'], network.dir);
    assert.equal(absent.code, 0, absent.stderr);
    assert.match(absent.stdout, /^verified: no-such-key = absent/);
  });
});
