import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditError, LedgerAuditor } from '../src/audit.js';
import { KvLoad } from '../src/load.js';
import { TestNetwork, sleep, waitFor } from '../src/network.js';
import { Scenario } from '../src/scenario.js';

/**
 * The harness against the single-node mode (`--peers 1`): a real peer and gateway under load,
 * the peer killed with SIGKILL mid-load and restarted; everything acknowledged before the kill
 * is still there afterwards, and commits resume.
 */
const START_TIMEOUT_MS = 60_000;
const LOAD = { workers: 2, pauseMs: 20, requestTimeoutMs: 8_000 };

describe('single-node network under load, with a killed peer', () => {
  let dir: string;
  let network: TestNetwork;
  let load: KvLoad;
  let auditor: LedgerAuditor;
  const scenario = new Scenario(() => {
    process.stderr.write(`${network.lastLogLines(30)}\nnetwork folder kept: ${dir}\n`);
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-e2e-single-'));
    network = await TestNetwork.create({ dir, peers: 1, proxied: false, commitWaitMs: 3_000 });
    await network.start(START_TIMEOUT_MS);
    load = await KvLoad.prepare(network.gatewayUrl, network.ledgerHash, network.adminKey(), LOAD);
    auditor = new LedgerAuditor(network.ledgerHash);
  });

  after(async () => {
    await load?.stop();
    await network?.stop();
    if (!scenario.failed) rmSync(dir, { recursive: true, force: true });
  });

  const peer = () => network.peers[0]!;

  scenario.step('commits under load and the ledger holds every acknowledged transaction', async () => {
    load.start();
    await waitFor('50 acknowledged transactions', 30_000, () => load.acknowledged.length >= 50);
    const [height] = await auditor.auditWhenCaughtUp([peer()], load.acknowledged, 30_000);
    assert.ok((height ?? 0) >= 2, `height ${height}`);
    assert.ok(load.acknowledged.every((ack) => ack.state === 'SUCCESS'));
  });

  scenario.step('the audit notices an acknowledged transaction that is missing or landed elsewhere', async () => {
    const real = load.acknowledged[0]!;
    const missing = { ...real, hash: 'never-submitted' };
    await assert.rejects(auditor.audit([peer()], [missing]), (error: unknown) => error instanceof AuditError && error.code === 'LOST_TRANSACTION');
    await assert.rejects(auditor.audit([peer()], [{ ...real, blockHeight: real.blockHeight + 1 }]), /acknowledged in block \d+ SUCCESS; found in block/);
  });

  scenario.step('SIGKILL stops commits; nothing acknowledged is lost; a restart resumes commits', async () => {
    await peer().process.signal('SIGKILL');
    const acknowledgedAtKill = load.acknowledged.length;
    await sleep(1_500);
    // Answers already on their way may still arrive just after the kill; none can come later.
    const settled = load.acknowledged.length;
    await sleep(1_500);
    assert.equal(load.acknowledged.length, settled, 'no commits while the only peer is down');
    assert.ok(settled - acknowledgedAtKill <= LOAD.workers);

    auditor.forget(peer());
    await network.restartPeer(peer(), START_TIMEOUT_MS);
    await waitFor('commits after the restart', 30_000, () => load.acknowledged.length >= settled + 20);
    await load.stop();
    await auditor.auditWhenCaughtUp([peer()], load.acknowledged, 30_000);
  });
});
