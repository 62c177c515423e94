import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HashDigest, KeystoreDir, cryptoSuite } from '@jadechain/crypto';
import { GatewayClient, TransactionBuilder } from '@jadechain/sdk';
import { run, threeFreePorts, type RunResult } from './helpers.js';

/**
 * Every `jadechain query` against a real network: `testnet init`, then `peer start` and
 * `gateway start` as child processes of the real executable; the queries run in-process through
 * the CLI's `main`, speaking HTTP to the gateway. A contract is deployed through the SDK, since
 * `jadechain tx` has no deploy command yet.
 */
const BIN = fileURLToPath(new URL('../../bin/jadechain.js', import.meta.url));

let dir: string;
let children: ChildProcess[] = [];
let output = '';
let account = '';
let eventAccount = '';
let contract = '';
let setHash = '';


function startChild(args: readonly string[]): void {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  children.push(child);
}

async function waitForHealth(url: string): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered; the processes said:\n${output}`);
}

async function query(...args: string[]): Promise<RunResult> {
  return run(['query', ...args, '--dir', dir]);
}

/** `query ... --json`, parsed; fails the test on a non-zero exit. */
async function json(...args: string[]): Promise<unknown> {
  const result = await query(...args, '--json');
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown;
}

function lastWord(result: RunResult): string {
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim().split(/\s+/).at(-1) ?? '';
}

async function deployContract(): Promise<string> {
  const manifest = JSON.parse(readFileSync(join(dir, 'testnet.json'), 'utf8')) as { ledgerHash: string; gatewayUrl: string };
  const password = readFileSync(join(dir, 'dev-password'), 'utf8').trim();
  const admin = new KeystoreDir(join(dir, 'keys'), cryptoSuite).unlock('admin', new TextEncoder().encode(password));
  const contractKey = cryptoSuite.generateKeyPair('ED25519');
  // A deployable module (what `jadechain contract build` makes): the ledger refuses code that does not load.
  const code = new TextEncoder().encode('exports.ping = function () {\n  return "pong";\n};\n');
  const request = new TransactionBuilder({ ledgerHash: HashDigest.fromBase58(manifest.ledgerHash) })
    .deployContract(contractKey.publicKey, code, 'JAVASCRIPT')
    .sign(cryptoSuite, [admin]);
  const result = await new GatewayClient(manifest.gatewayUrl).submit(request);
  assert.equal(result.state, 'SUCCESS');
  return contractKey.publicKey.address().toBase58();
}

describe('jadechain query against a running network', { timeout: 120_000 }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-query-'));
    const ports = await threeFreePorts();
    const init = await run(['testnet', 'init', '--dir', dir, '--peers', '1', '--peer-port', String(ports), '--port', String(ports + 2)]);
    assert.equal(init.code, 0, init.stderr);
    startChild(['peer', 'start', '--config', join(dir, 'peer0.json')]);
    await waitForHealth(`http://127.0.0.1:${ports + 1}/health`);
    startChild(['gateway', 'start', '--config', join(dir, 'gateway.json')]);
    await waitForHealth(`http://127.0.0.1:${ports + 2}/health`);

    account = lastWord(await run(['tx', 'data-account-register', '--dir', dir]));
    const set = await run(['tx', 'kv-set', '--dir', dir, '--account', account, '--key', 'colour', '--value', 'jade', '--json']);
    assert.equal(set.code, 0, set.stderr);
    setHash = (JSON.parse(set.stdout) as { transaction: string }).transaction;
    eventAccount = lastWord(await run(['tx', 'event-account-register', '--dir', dir]));
    for (const [content, expected] of [['1', '-1'], ['2', '0']] as const) {
      const publish = await run(['tx', 'event-publish', '--dir', dir, '--account', eventAccount, '--topic', 'orders', '--content', content, '--type', 'INT64', '--expected-sequence', expected]);
      assert.equal(publish.code, 0, publish.stderr);
    }
    contract = await deployContract();
  });

  after(async () => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }),
    );
    children = [];
    rmSync(dir, { recursive: true, force: true });
  });

  test('ledger administration: metadata, settings, crypto settings, admininfo, ledger and participant counts', async () => {
    const metadata = (await json('metadata')) as { ledgerStructureVersion: number; identityMode: string };
    assert.equal(metadata.identityMode, 'KEYPAIR');
    const settings = (await json('settings')) as { consensusProtocol: string; genesisUsers: unknown[] };
    assert.equal(settings.consensusProtocol, 'single');
    assert.equal(settings.genesisUsers.length, 3);
    const crypto = (await json('crypto-settings')) as { hashAlgorithm: number; supportedProviders: Array<{ algorithms: Array<{ name: string; code: number }> }> };
    assert.equal(crypto.supportedProviders[0]?.algorithms.find((algorithm) => algorithm.code === crypto.hashAlgorithm)?.name, 'SHA256');
    const admin = (await json('admininfo')) as { participantCount: number };
    assert.equal(admin.participantCount, 1);
    assert.equal(await json('count', 'ledgers'), 1);
    assert.equal(await json('count', 'participants'), 1);

    const human = await query('crypto-settings');
    assert.match(human.stdout, /^hashAlgorithm +8216$/m);
    assert.equal((await query('count', 'ledgers')).stdout, '1\n');
  });

  test('blocks, transactions and their counts, per ledger and per block', async () => {
    const latest = (await json('block')) as { height: number; transactionCount: number };
    const blocks = (await json('blocks', '--latest', '2')) as Array<{ height: number }>;
    assert.deepEqual(blocks.map((block) => block.height), [latest.height, latest.height - 1, 0]);
    assert.equal(await json('tx-state', setHash), 'SUCCESS');
    assert.equal((await query('tx-state', setHash)).stdout, 'SUCCESS\n');

    const total = (await json('count', 'txs')) as number;
    const cumulative = (await json('txs', '--cumulative', '--height', String(latest.height))) as unknown[];
    assert.equal(cumulative.length, total);
    const setBlock = ((await json('tx', setHash)) as { result: { blockHeight: number } }).result.blockHeight;
    assert.equal(await json('count', 'txs', '--additional', '--height', String(setBlock)), 1);
    assert.equal(await json('count', 'txs', '--height', String(setBlock)), setBlock);
    assert.equal(await json('count', 'users'), 3);
    assert.equal(await json('count', 'accounts'), 1);
    assert.equal(await json('count', 'kvs', account), 1);
  });

  test('contracts: the list, one by address and by version, its code as source and compiled', async () => {
    const listed = (await json('contracts')) as Array<{ address: { value: string } }>;
    assert.deepEqual(listed.map((item) => item.address.value), [contract]);
    assert.equal(await json('count', 'contracts'), 1);
    const latest = (await json('contract', contract)) as { chainCodeVersion: number; chainCode: string; lang: string };
    assert.equal(latest.lang, 'JAVASCRIPT');
    assert.match(latest.chainCode, /return "pong"/);
    const compiled = (await json('contract', contract, '--version', String(latest.chainCodeVersion), '--compiled')) as { chainCode: string; chainCodeEncoding: string };
    assert.equal(compiled.chainCodeEncoding, 'base64');
    assert.equal(Buffer.from(compiled.chainCode, 'base64').toString('utf8'), latest.chainCode);
    // Human output keeps the code's lines, indented under its name.
    assert.match((await query('contract', contract)).stdout, /^chainCode\n {2}exports\.ping = function \(\) \{\n {4}return "pong";\n {2}\};\n/m);
    const missing = await query('contract', contract, '--version', '7');
    assert.equal(missing.code, 1);
  });

  test('user and system events: accounts, topics, events, the latest, and their counts', async () => {
    const one = (await json('event-account', eventAccount)) as { topicCount: number };
    assert.equal(one.topicCount, 1);
    assert.equal(await json('count', 'event-accounts'), 1);
    assert.equal(await json('count', 'topics', eventAccount), 1);
    assert.equal(await json('count', 'events', eventAccount, 'orders'), 2);
    const newest = (await json('events', eventAccount, 'orders', '--latest')) as { sequence: number; content: { value: number } };
    assert.deepEqual([newest.sequence, newest.content.value], [1, 2]);

    assert.deepEqual(await json('system-events'), ['new_block_created']);
    assert.equal(await json('count', 'system-events'), 1);
    const height = ((await json('ledger')) as { latestBlockHeight: number }).latestBlockHeight;
    assert.equal(await json('count', 'system-events', 'new_block_created'), height + 1);
    const blockEvents = (await json('system-events', 'new_block_created', '--from', '1', '--count', '2')) as Array<{ sequence: number }>;
    assert.deepEqual(blockEvents.map((event) => event.sequence), [1, 2]);
    const latest = (await json('system-events', 'new_block_created', '--latest')) as { blockHeight: number };
    assert.equal(latest.blockHeight, height);
  });

  test('a KV proof, and bad usage of count exits 2', async () => {
    const proof = (await json('proof', account, 'colour')) as { entry: { value: string } | null; key: string };
    assert.equal(proof.key, 'colour');
    assert.equal(proof.entry?.value, 'jade');
    for (const bad of [['count', 'blocks'], ['count', 'kvs'], ['count', 'ledgers', '--additional'], ['count', 'txs', '--height', '1', '--hash', 'x']]) {
      const result = await query(...bad);
      assert.equal(result.code, 2, `${bad.join(' ')}: ${result.stdout}${result.stderr}`);
    }
  });
});
