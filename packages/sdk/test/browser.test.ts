import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { importMapFor, serveRepository } from './browser-server.js';
import type { ScenarioInput, ScenarioOutput } from './browser-scenario.js';
import { startLocalNetwork, type LocalNetwork } from './local-network.js';

/**
 * The SDK in a real browser (Debian's Chromium through playwright-core), served as the compiled
 * ES modules with an import map, against a real peer and gateway (CORS on for the page's origin).
 */
const CHROMIUM = '/usr/bin/chromium';
const page = (importMap: unknown): string => `<!doctype html><meta charset="utf-8"><title>JadeChain SDK</title><link rel="icon" href="data:,">
<script type="importmap">${JSON.stringify(importMap)}</script>
<script type="module">
  import { runScenario } from '/packages/sdk/dist/test/browser-scenario.js';
  window.runScenario = runScenario;
</script>`;

describe('the SDK in Chromium', { timeout: 90_000 }, () => {
  let network: LocalNetwork;
  let server: Server;
  let browser: BrowserContext;
  let profile: string;
  let pageUrl: string;

  before(async () => {
    network = await startLocalNetwork({ cors: { origins: ['*'] } });
    const served = await serveRepository(page(importMapFor(['@jadechain/sdk', '@jadechain/crypto', '@jadechain/types'])));
    server = served.server;
    pageUrl = served.url;
    profile = mkdtempSync(join(tmpdir(), 'jadechain-chromium-'));
    // A fresh profile each run; playwright passes it to Chromium as --user-data-dir.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    await network?.stop();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  test('builds and signs with the pure backend, submits across origins, and verifies the KV proof offline', async () => {
    const tab = await browser.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (error) => problems.push(error.message));
    tab.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await tab.goto(pageUrl);
    await tab.waitForFunction(() => 'runScenario' in window, undefined, { timeout: 20_000 }).catch(() => assert.fail(`the page did not load: ${problems.join('\n')}`));
    const input: ScenarioInput = {
      gatewayUrl: network.gatewayUrl,
      ledgerHash: network.ledgerHash.toBase58(),
      participant: network.participant.toBase58(),
      adminKeySeed: [...network.adminKey.raw],
    };
    const output = await tab.evaluate(
      async (given) => (window as unknown as { runScenario(input: ScenarioInput): Promise<ScenarioOutput> }).runScenario(given),
      input,
    );
    assert.deepEqual(problems, []);
    assert.equal(output.backend, 'pure');
    assert.equal(output.state, 'SUCCESS');
    assert.deepEqual(output.provenValue, { type: 'TEXT', value: 'jade' });
    assert.ok(BigInt(output.provenHeight) >= 1n);
    assert.equal(output.signers, 1);
    assert.equal(output.tamperedFailure, 'INCONSISTENT');
  });
});
