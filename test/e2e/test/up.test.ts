import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeConsecutivePorts, jadechain, waitFor } from '../src/network.js';
import { JADECHAIN_BIN } from '../src/processes.js';

/**
 * README's first command, `jadechain up`, with its defaults: four BFT peers and a gateway,
 * created on first use, ready for `tx` and `query`, all stopped by one Ctrl-C.
 */
const READY_TIMEOUT_MS = 90_000;

interface PeerStatus {
  readonly ledgers: readonly { readonly height: number; readonly blockHash: string }[];
}

test('jadechain up starts four BFT peers and a gateway that commit, and Ctrl-C stops them all', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jadechain-e2e-up-'));
  const first = await freeConsecutivePorts(9);
  const up = spawn(process.execPath, [JADECHAIN_BIN, 'up', '--dir', dir, '--peer-port', String(first), '--port', String(first + 8)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  up.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  up.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => up.on('exit', (code) => resolve(code)));
  try {
    await waitFor('"JadeChain is up"', READY_TIMEOUT_MS, () => output.includes('JadeChain is up') || up.exitCode !== null);
    assert.match(output, /JadeChain is up/, output);
    assert.match(output, /4 peers, BFT \(quorum 3\), tolerates 1 failed peer/);

    const register = await jadechain(['tx', 'data-account-register', '--dir', dir]);
    assert.match(register, /state +SUCCESS/);
    const account = register.trim().split(/\s+/).at(-1) ?? '';
    await jadechain(['tx', 'kv-set', '--dir', dir, '--account', account, '--key', 'greeting', '--value', 'hello']);
    const read = await jadechain(['query', 'kv', account, 'greeting', '--dir', dir, '--json']);
    assert.deepEqual(JSON.parse(read), [{ key: 'greeting', version: 0, type: 'TEXT', value: 'hello' }]);

    // Every peer committed the same two blocks.
    const statusUrls = [0, 1, 2, 3].map((index) => `http://127.0.0.1:${first + 2 * index + 1}/status`);
    await waitFor('every peer at the same block', 30_000, async () => {
      const tips = await Promise.all(statusUrls.map(async (url) => ((await (await fetch(url)).json()) as PeerStatus).ledgers[0]));
      return tips.every((tip) => tip !== undefined && tip.height >= 2 && tip.blockHash === tips[0]?.blockHash);
    });

    up.kill('SIGINT');
    assert.equal(await exited, 0, output);
    assert.match(output, /every process stopped cleanly/);
  } finally {
    // `up` runs its children in their own process groups: only `up` itself can stop them all.
    if (up.exitCode === null) {
      up.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      if (up.exitCode === null) up.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
