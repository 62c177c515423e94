import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Contracts through a real single-mode peer and gateway (`jadechain testnet init --peers 1`,
 * `jadechain up`), driven by the `jadechain contract` commands as a user would: deploy, invoke,
 * upgrade, freeze, and the hostile-code list of issue 8, after which the peer still serves.
 */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = join(root, 'packages/cli/bin/jadechain.js');
const TOKEN = join(root, 'examples/contracts/token/token.ts');
const READY_MS = 60_000;

let dir: string;
let up: ChildProcess;
let gatewayUrl: string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args, '--dir', join(dir, 'net')], { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

async function ok(...args: string[]): Promise<string> {
  const run = await cli(...args);
  assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
  return run.stdout.trim().split('\n').at(-1)?.split(/\s+/).at(-1) ?? '';
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Three consecutive free ports: the peer's p2p port, its management port (always the next one)
 * and the gateway's. Two ports picked apart once gave the gateway the peer's management port, and
 * the network never became ready. Below Linux's ephemeral range (32768 on): there, an outgoing
 * connection or a listen on port 0 of a test running alongside could be handed one of them before
 * the processes bind it (a port taken by a connection refuses a listener: EADDRINUSE).
 */
async function threeFreePorts(): Promise<[number, number]> {
  for (;;) {
    const first = 20_000 + Math.floor(Math.random() * 12_000);
    const checks = await Promise.all([0, 1, 2].map((offset) => portIsFree(first + offset)));
    if (checks.every(Boolean)) return [first, first + 2];
  }
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_MS;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the network did not become ready');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jadechain-contracts-'));
  const [peerPort, gatewayPort] = await threeFreePorts();
  const init = await cli('testnet', 'init', '--peers', '1', '--peer-port', String(peerPort), '--port', String(gatewayPort));
  assert.equal(init.code, 0, init.stderr);
  gatewayUrl = (JSON.parse(readFileSync(join(dir, 'net', 'testnet.json'), 'utf8')) as { gatewayUrl: string }).gatewayUrl;
  up = spawn(process.execPath, [CLI, 'up', '--dir', join(dir, 'net')], { stdio: 'ignore' });
  await waitFor(() => fetch(`${gatewayUrl}/ready`).then((response) => response.ok, () => false));
});

after(async () => {
  if (up.exitCode === null) {
    await new Promise((resolve) => {
      up.once('exit', resolve);
      up.kill('SIGTERM');
    });
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('contracts through a real peer, gateway and CLI', () => {
  test('the token: deploy, invoke, a failure with its message, the receipt in the query API', async () => {
    const token = await ok('contract', 'deploy', '--code', TOKEN);
    const store = await ok('tx', 'data-account-register');
    const events = await ok('tx', 'event-account-register');
    assert.equal(await ok('contract', 'invoke', '--address', token, '--method', 'init', '--args', JSON.stringify([store, events, 1000])), '1000');
    assert.equal(await ok('contract', 'invoke', '--address', token, '--method', 'transfer', '--args', JSON.stringify([store, events, 300])), '700');
    const overdraft = await cli('contract', 'invoke', '--address', token, '--method', 'transfer', '--args', JSON.stringify([store, events, 5000]), '--json');
    assert.equal(overdraft.code, 1);
    assert.match(overdraft.stderr, /insufficient balance: 700 < 5000/);
    assert.match(overdraft.stderr, /contract\.js:\d+/, 'the stack comes back too');
    const [ledger] = ((await (await fetch(`${gatewayUrl}/ledgers`)).json()) as { data: string[] }).data;
    const count = (await (await fetch(`${gatewayUrl}/ledgers/${ledger}/contracts/count`)).json()) as { data: number };
    assert.equal(count.data >= 1, true);
  });

  test('upgrade keeps every version; freeze stops invocations', async () => {
    const first = join(dir, 'v1.js');
    const second = join(dir, 'v2.js');
    writeFileSync(first, 'exports.v = function () { return "one"; };\n');
    writeFileSync(second, 'exports.v = function () { return "two"; };\n');
    const contract = await ok('contract', 'deploy', '--code', first);
    assert.equal(await ok('contract', 'upgrade', '--address', contract, '--code', second), '1');
    assert.equal(await ok('contract', 'invoke', '--address', contract, '--method', 'v'), 'two');
    assert.match((await cli('contract', 'show', '--address', contract, '--version', '0')).stdout, /return "one"/);
    assert.equal(await ok('contract', 'state', '--address', contract, '--set', 'FREEZE'), 'FREEZE');
    const frozen = await cli('contract', 'invoke', '--address', contract, '--method', 'v');
    assert.equal(frozen.code, 1);
    assert.match(frozen.stderr, /ILLEGAL_ACCOUNT_STATE/);
  });

  test('hostile code fails with a clear error, changes nothing, and the peer stays healthy', async () => {
    const file = join(dir, 'hostile.js');
    const write = 'ctx.kv.set(store, "k", 1);';
    writeFileSync(
      file,
      [
        `exports.loop = function (ctx, store) { ${write} for (;;) {} };`,
        `function deeper(n) { return deeper(n + 1) + 1; }`,
        `exports.recurse = function (ctx, store) { ${write} return deeper(0); };`,
        `exports.allocate = function (ctx, store) { ${write} return "x".repeat(1 << 26).length; };`,
        `exports.clock = function (ctx, store) { ${write} try { return Date.now(); } catch (e) { return 0; } };`,
        `exports.random = function (ctx, store) { ${write} return Math.random() > 2 ? 1 : 0; };`,
        `exports.escape = function (ctx, store) { ${write} return (function () {}).constructor("return globalThis")() ? 1 : 0; };`,
        `exports.pollute = function (ctx, store) { Object.prototype.polluted = "yes"; ${write} return [typeof process, typeof require].join(","); };`,
        `exports.read = function (ctx, store) { const entry = ctx.kv.get(store, "k"); return entry === null ? "untouched" : "written"; };`,
      ].join('\n'),
    );
    const contract = await ok('contract', 'deploy', '--code', file);
    const store = await ok('tx', 'data-account-register');
    const args = JSON.stringify([store]);
    for (const [method, code] of [
      ['loop', 'OUT_OF_GAS'],
      ['recurse', 'STACK_OVERFLOW'],
      ['allocate', 'MEMORY_LIMIT'],
      ['clock', 'FORBIDDEN_API'],
      ['random', 'FORBIDDEN_API'],
      ['escape', 'FORBIDDEN_API'],
    ] as const) {
      const run = await cli('contract', 'invoke', '--address', contract, '--method', method, '--args', args);
      assert.equal(run.code, 1, `${method}: ${run.stdout}`);
      assert.match(run.stderr, new RegExp(`CONTRACT_EXECUTE_ERROR: ${code}`), method);
    }
    assert.equal(await ok('contract', 'invoke', '--address', contract, '--method', 'read', '--args', args), 'untouched');
    // Prototype pollution stays inside its sandbox; this call succeeds and the host is unreachable.
    assert.equal(await ok('contract', 'invoke', '--address', contract, '--method', 'pollute', '--args', args), 'undefined,undefined');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    const health = await fetch(`${gatewayUrl}/ready`);
    assert.equal(health.ok, true);
  });
});
