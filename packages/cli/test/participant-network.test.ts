import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cryptoSuite } from '@jadechain/crypto';
import { run, threeFreePorts } from './helpers.js';

/**
 * `jadechain participant` against a real single-peer network started by `up`: the one validator
 * cannot be deactivated (no quorum would remain), a new participant can be registered but not
 * activated while no peer of its key runs, and --force submits anyway (the ledger then has the
 * last word).
 */
const BIN = fileURLToPath(new URL('../../bin/jadechain.js', import.meta.url));
const READY_TIMEOUT_MS = 45_000;


/** Until the gateway has heard the peer's height (its status poll runs every second). */
async function peerHeightKnown(gateway: string): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    const answer = (await (await fetch(`${gateway}/network/peers`)).json()) as { data?: { peers?: Array<{ height?: unknown }> } };
    if (typeof answer.data?.peers?.[0]?.height === 'number') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the gateway never reported the peer height');
}

describe('jadechain participant against a real single-peer network', () => {
  let dir: string;
  let up: ChildProcess;
  let output = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-participant-'));
    const ports = await threeFreePorts();
    const init = await run(['testnet', 'init', '--dir', dir, '--peers', '1', '--peer-port', String(ports), '--port', String(ports + 2)]);
    assert.equal(init.code, 0, init.stderr);
    up = spawn(process.execPath, [BIN, 'up', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`up did not get ready:\n${output}`)), READY_TIMEOUT_MS);
      const collect = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (output.includes('JadeChain is up')) {
          clearTimeout(timer);
          resolve();
        }
      };
      up.stdout?.on('data', collect);
      up.stderr?.on('data', collect);
      up.on('exit', (code) => reject(new Error(`up exited early with ${code}:\n${output}`)));
    });
    await peerHeightKnown(`http://127.0.0.1:${ports + 2}`);
  });

  after(async () => {
    if (up.exitCode === null) {
      const exited = new Promise((resolve) => up.on('exit', resolve));
      up.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('deactivating the only validator is refused with the numbers, before anything is submitted', async () => {
    const refused = await run(['participant', 'deactivate', '0', '--dir', dir]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /refused: no validator would remain \(validators after the change 0, quorum 1, live 0\).*\[QUORUM_UNSAFE\]/);
    assert.equal(refused.stdout, '', 'nothing was submitted');
  });

  test('a participant registers, but is not activated while no peer of its key is connected', async () => {
    const key = cryptoSuite.generateKeyPair('ED25519').publicKey.toBase58();
    const registered = await run(['participant', 'register', '--name', 'newcomer', '--public-key', key, '--dir', dir]);
    assert.equal(registered.code, 0, registered.stderr);
    assert.match(registered.stdout, /state +SUCCESS/);
    const activate = await run(['participant', 'activate', '1', '--dir', dir]);
    assert.equal(activate.code, 1);
    assert.match(activate.stderr, /participant 1's peer is not connected and caught up.*validators after the change 2, quorum 2, live 1/);
    const notValidator = await run(['participant', 'deactivate', '1', '--dir', dir]);
    assert.match(notValidator.stderr, /participant 1 is not a validator \(state READY\)/);
    const unknown = await run(['participant', 'activate', '7', '--dir', dir]);
    assert.match(unknown.stderr, /no participant 7 on this ledger/);
  });

  test('--force submits a refused change with a warning; the ledger still keeps its last validator', async () => {
    const forced = await run(['participant', 'deactivate', '0', '--force', '--dir', dir]);
    assert.match(forced.stderr, /warning: refused: no validator would remain.*submitting because of --force/);
    assert.equal(forced.code, 1, 'the ledger rejects it');
    assert.match(forced.stderr, /rejected the transaction \[ILLEGAL_ACCOUNT_STATE\]/);
  });
});
