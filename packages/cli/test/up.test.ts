import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { portIsFree, threeFreePorts } from './helpers.js';

/**
 * The whole network through the real executable: `testnet init`, then `up` as a child process
 * (which runs the peer and the gateway as its own children), then `tx` and `query` against the
 * gateway, and finally SIGINT to `up`, which must stop every process and free every port. This
 * is the single-node mode (`--peers 1`); test/e2e runs `up` with its default four BFT peers.
 */
const BIN = fileURLToPath(new URL('../../bin/jadechain.js', import.meta.url));
const READY_TIMEOUT_MS = 45_000;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function jadechain(args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, JADECHAIN_PASSWORD: undefined } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('jadechain up with real processes', () => {
  let dir: string;
  let up: ChildProcess;
  let upOutput = '';
  let upExit: Promise<number | null>;
  let ports: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-up-'));
    ports = await threeFreePorts();
    const init = await jadechain(['testnet', 'init', '--dir', dir, '--peers', '1', '--peer-port', String(ports), '--port', String(ports + 2)]);
    assert.equal(init.code, 0, init.stderr);
    up = spawn(process.execPath, [BIN, 'up', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    upExit = new Promise((resolve) => up.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`up did not get ready:\n${upOutput}`)), READY_TIMEOUT_MS);
      const collect = (chunk: Buffer): void => {
        upOutput += chunk.toString('utf8');
        if (upOutput.includes('JadeChain is up')) {
          clearTimeout(timer);
          resolve();
        }
      };
      up.stdout?.on('data', collect);
      up.stderr?.on('data', collect);
      void upExit.then((code) => reject(new Error(`up exited early with ${code}:\n${upOutput}`)));
    });
  });

  after(async () => {
    if (up.exitCode === null) up.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('register a data account, write a key, read it back; a conflicting write exits 1', async () => {
    const register = await jadechain(['tx', 'data-account-register', '--dir', dir]);
    assert.equal(register.code, 0, register.stderr);
    assert.match(register.stdout, /state +SUCCESS/);
    const account = register.stdout.trim().split(/\s+/).at(-1) ?? '';

    const set = await jadechain(['tx', 'kv-set', '--dir', dir, '--account', account, '--key', 'greeting', '--value', 'hello']);
    assert.equal(set.code, 0, set.stderr);
    const read = await jadechain(['query', 'kv', account, 'greeting', '--dir', dir, '--json']);
    assert.equal(read.code, 0, read.stderr);
    assert.deepEqual(JSON.parse(read.stdout), [{ key: 'greeting', version: 0, type: 'TEXT', value: 'hello' }]);

    // Writing the key again as if it were new: the ledger records DATA_VERSION_CONFLICT.
    const conflict = await jadechain(['tx', 'kv-set', '--dir', dir, '--account', account, '--key', 'greeting', '--value', 'again', '--expected-version', '-1']);
    assert.equal(conflict.code, 1, conflict.stdout);
    assert.match(conflict.stdout, /state +DATA_VERSION_CONFLICT/);
    assert.match(conflict.stderr, /rejected.*DATA_VERSION_CONFLICT/);

    const next = await jadechain(['tx', 'kv-set', '--dir', dir, '--account', account, '--key', 'greeting', '--value', '{"n":1}', '--type', 'JSON', '--expected-version', '0']);
    assert.equal(next.code, 0, next.stderr);
    const versions = await jadechain(['query', 'kv', account, 'greeting', '--version', '0', '--dir', dir, '--json']);
    assert.equal((JSON.parse(versions.stdout) as { value: string }[])[0]?.value, 'hello');
    const human = await jadechain(['query', 'kv', account, 'greeting', '--dir', dir]);
    assert.match(human.stdout, /version +1\n\s+type +JSON\n\s+value +\{"n":1\}/);
  });

  test('events, roles and queries of every kind answer through the gateway', async () => {
    const register = await jadechain(['tx', 'event-account-register', '--dir', dir]);
    assert.equal(register.code, 0, register.stderr);
    const account = register.stdout.trim().split(/\s+/).at(-1) ?? '';
    const publish = await jadechain(['tx', 'event-publish', '--dir', dir, '--account', account, '--topic', 'orders', '--content', '7', '--type', 'INT64']);
    assert.equal(publish.code, 0, publish.stderr);
    const events = await jadechain(['query', 'events', account, 'orders', '--dir', dir, '--json']);
    assert.equal(events.code, 0, events.stderr);
    assert.match(events.stdout, /"sequence": 0/);

    const role = await jadechain(['tx', 'roles-configure', '--dir', dir, '--role', 'writer', '--enable', 'WRITE_DATA_ACCOUNT', '--enable-tx', 'DIRECT_OPERATION']);
    assert.equal(role.code, 0, role.stderr);
    const user = await jadechain(['tx', 'user-register', '--dir', dir, '--user-key', 'gateway']);
    assert.equal(user.code, 1, 'the gateway is already a user: ACCOUNT_REGISTER_CONFLICT');
    const gatewayAddress = user.stdout.trim().split(/\s+/).at(-1) ?? '';
    const authorize = await jadechain(['tx', 'user-authorize', '--dir', dir, '--user', gatewayAddress, '--authorize', 'writer']);
    assert.equal(authorize.code, 0, authorize.stderr);
    const privileges = await jadechain(['query', 'user-privileges', gatewayAddress, '--dir', dir, '--json']);
    assert.match(privileges.stdout, /WRITER/);

    for (const what of [['ledgers'], ['ledger'], ['block'], ['block', '--height', '1'], ['txs'], ['users'], ['accounts'], ['participants'], ['role', 'ADMIN'], ['events']]) {
      const r = await jadechain(['query', ...what, '--dir', dir]);
      assert.equal(r.code, 0, `${what.join(' ')}: ${r.stderr}`);
      assert.notEqual(r.stdout.trim(), '', what.join(' '));
    }
    const unknown = await jadechain(['query', 'block', '--height', '999999', '--dir', dir]);
    assert.equal(unknown.code, 1, unknown.stderr);
    const badUsage = await jadechain(['query', 'block', '--height', 'top', '--dir', dir]);
    assert.equal(badUsage.code, 2);
  });

  test('a transaction signed offline is submitted later with tx send', async () => {
    const file = join(dir, 'offline.json');
    const signed = await jadechain(['tx', 'data-account-register', '--dir', dir, '--offline', file]);
    assert.equal(signed.code, 0, signed.stderr);
    const sent = await jadechain(['tx', 'send', file, '--dir', dir]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /state +SUCCESS/);
    // Sending it again answers its recorded result rather than committing it twice.
    const again = await jadechain(['tx', 'send', file, '--dir', dir]);
    assert.equal(again.code, 0, again.stderr);
    const hashOf = (stdout: string): string | undefined => /transaction +(\S+)/.exec(stdout)?.[1];
    assert.equal(hashOf(again.stdout), hashOf(sent.stdout));
    assert.equal(/block +(\d+)/.exec(again.stdout)?.[1], /block +(\d+)/.exec(sent.stdout)?.[1]);
  });

  test('SIGINT stops up and every child, and frees every port', async () => {
    up.kill('SIGINT');
    assert.equal(await upExit, 0, upOutput);
    assert.match(upOutput, /peer stopped/);
    assert.match(upOutput, /gateway stopped/);
    assert.match(upOutput, /every process stopped cleanly/);
    for (const port of [ports, ports + 1, ports + 2]) assert.ok(await portIsFree(port), `port ${port} is still in use`);
  });
});
