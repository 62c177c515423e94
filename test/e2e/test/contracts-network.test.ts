import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cryptoSuite } from '@jadechain/crypto';
import { ContractCallError, ContractsClient, GatewayClient, Values } from '@jadechain/sdk';
import { LedgerAuditor } from '../src/audit.js';
import type { Acknowledged } from '../src/load.js';
import { TestNetwork, runJadechain, waitFor } from '../src/network.js';
import { Scenario } from '../src/scenario.js';
import { FAST_ROUNDS } from '../src/under-load.js';

/**
 * Issue 8's "done when" on the real network: contracts deploy, run and upgrade on four BFT peer
 * processes, through the CLI and through the SDK, and every peer ends with the same blocks (whose
 * hashes cover every state root, so the same contract results and state).
 */
const TOKEN = fileURLToPath(new URL('../../../../examples/contracts/token/token.ts', import.meta.url));
const START_TIMEOUT_MS = 90_000;

describe('contracts on four BFT peers', () => {
  let dir: string;
  let network: TestNetwork;
  let auditor: LedgerAuditor;
  const acknowledged: Acknowledged[] = [];
  const scenario = new Scenario(() => {
    process.stderr.write(`${network.lastLogLines(30)}\nnetwork folder kept: ${dir}\n`);
  });

  /** Runs `jadechain ARGS --dir <network>`; the last word of the last line (an address, a value). */
  async function cli(...args: string[]): Promise<string> {
    const run = await runJadechain([...args, '--dir', dir]);
    assert.equal(run.code, 0, `jadechain ${args.join(' ')}: ${run.stderr}`);
    return run.stdout.trim().split('\n').at(-1)?.split(/\s+/).at(-1) ?? '';
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-e2e-contracts-'));
    network = await TestNetwork.create({ dir, peers: 4, proxied: false, consensusTimeouts: FAST_ROUNDS });
    await network.start(START_TIMEOUT_MS);
    auditor = new LedgerAuditor(network.ledgerHash);
  });

  after(async () => {
    await network?.stop();
    if (!scenario.failed) rmSync(dir, { recursive: true, force: true });
  });

  scenario.step('the CLI deploys the token, invokes it, reports a contract failure with its message, and upgrades', async () => {
    const token = await cli('contract', 'deploy', '--code', TOKEN);
    const store = await cli('tx', 'data-account-register');
    const events = await cli('tx', 'event-account-register');
    assert.equal(await cli('contract', 'invoke', '--address', token, '--method', 'init', '--args', JSON.stringify([store, events, 1000])), '1000');
    assert.equal(await cli('contract', 'invoke', '--address', token, '--method', 'transfer', '--args', JSON.stringify([store, events, 300])), '700');
    const overdraft = await runJadechain(['contract', 'invoke', '--address', token, '--method', 'transfer', '--args', JSON.stringify([store, events, 5000]), '--dir', dir]);
    assert.equal(overdraft.code, 1);
    assert.match(overdraft.stderr, /insufficient balance: 700 < 5000/);
    // Version 1: the same token (its helper module bundled again) plus one method.
    const next = join(dir, 'token-v2');
    mkdirSync(next);
    copyFileSync(join(dirname(TOKEN), 'balances.ts'), join(next, 'balances.ts'));
    writeFileSync(join(next, 'token.ts'), `${readFileSync(TOKEN, 'utf8')}\nexport function version(): string {\n  return 'two';\n}\n`);
    assert.equal(await cli('contract', 'upgrade', '--address', token, '--code', join(next, 'token.ts')), '1');
    assert.equal(await cli('contract', 'invoke', '--address', token, '--method', 'version'), 'two');
    assert.match((await runJadechain(['contract', 'show', '--address', token, '--version', '0', '--dir', dir])).stdout, /insufficient balance/);
  });

  scenario.step('the SDK deploys, invokes and upgrades a counter; a failing call throws with the contract message', async () => {
    const gateway = new GatewayClient(network.gatewayUrl);
    const admin = network.adminKey();
    const contracts = new ContractsClient({ gateway, ledgerHash: network.ledgerHash, suite: cryptoSuite, signers: [admin] });
    const store = await cli('tx', 'data-account-register');
    const source = join(dir, 'counter.js');
    const built = join(dir, 'counter.built.js');
    const counter = (step: number): string =>
      `exports.bump = function (ctx, store) { const entry = ctx.kv.get(store, "n"); const n = (entry === null ? 0n : entry.value) + ${step}n; ctx.kv.set(store, "n", n); return n; };\n` +
      'exports.fail = function () { throw new Error("refused by the counter"); };\n';
    const build = async (): Promise<string> => {
      const run = await runJadechain(['contract', 'build', '--code', source, '--out', built]);
      assert.equal(run.code, 0, run.stderr);
      return readFileSync(built, 'utf8');
    };
    writeFileSync(source, counter(1));
    const key = cryptoSuite.generateKeyPair('ED25519').publicKey;
    const address = await contracts.deploy(key, await build());
    const record = (invocation: { transactionHash: string; blockHeight: number; state: string }): void => {
      acknowledged.push({ hash: invocation.transactionHash, key: 'contract', blockHeight: invocation.blockHeight, state: invocation.state });
    };
    for (const expected of [1n, 2n, 3n]) {
      const invocation = await contracts.invoke(address, 'bump', [Values.text(store)]);
      assert.equal(invocation.value, expected);
      record(invocation);
    }
    await assert.rejects(contracts.invoke(address, 'fail'), (error: unknown) => error instanceof ContractCallError && /refused by the counter/.test(error.message));
    writeFileSync(source, counter(10));
    assert.equal(await contracts.upgrade(key, await build()), 1n);
    const upgraded = await contracts.invoke(address, 'bump', [Values.text(store)]);
    assert.equal(upgraded.value, 13n, 'the new version runs on the state the old one left');
    record(upgraded);
  });

  scenario.step('every peer holds the same blocks, and every acknowledged invocation with its state', async () => {
    const tips = await Promise.all(network.peers.map((peer) => auditor.tip(peer)));
    const highest = Math.max(...tips);
    await waitFor(`every peer at height ${highest}`, 30_000, async () => (await Promise.all(network.peers.map((peer) => auditor.tip(peer)))).every((tip) => tip >= highest));
    await auditor.audit(network.peers, acknowledged);
  });
});
