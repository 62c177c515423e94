import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoSuite } from '@jadechain/crypto';
import { Ledger } from '@jadechain/ledger';
import { LmdbStore } from '@jadechain/storage';
import { run } from './helpers.js';

const ENV = { JADECHAIN_PASSWORD: 'org password' };
const ORGS = ['org-a', 'org-b', 'org-c', 'org-d'];

async function generateKeys(dir: string, algorithm = 'ED25519'): Promise<Record<string, string>> {
  const keys: Record<string, string> = {};
  for (const org of ORGS) {
    const r = await run(['keys', '--keystore', join(dir, 'keys'), 'generate', '--name', org, '--algorithm', algorithm, '--json'], ENV);
    assert.equal(r.code, 0, r.stderr);
    keys[org] = (JSON.parse(r.stdout) as Record<string, string>)['publicKey'] ?? '';
  }
  return keys;
}

function initFile(dir: string, keys: Record<string, string>, extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'ledger-init.json');
  const participants = ORGS.map((name) => ({ name, publicKey: keys[name] }));
  writeFileSync(file, JSON.stringify({ seed: 'consortium ledger 1', createdTime: '2026-11-25T00:00:00Z', participants, ...extra }));
  return file;
}

function ledgerHashOf(output: string): string {
  const match = /ledgerHash\s+(\S+)/.exec(output);
  assert.ok(match?.[1] !== undefined, output);
  return match[1];
}

test('four organisations propose, sign offline and combine a genesis; signature order does not matter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jadechain-genesis-'));
  try {
    const keys = await generateKeys(dir);
    const proposal = join(dir, 'proposal.json');
    const proposed = await run(['ledger', 'init-propose', '--config', initFile(dir, keys), '--out', proposal]);
    assert.equal(proposed.code, 0, proposed.stderr);
    const signatures: string[] = [];
    for (const org of ORGS) {
      const out = join(dir, `${org}.sig.json`);
      const signed = await run(['ledger', 'init-sign', '--proposal', proposal, '--key', org, '--keystore', join(dir, 'keys'), '--out', out], ENV);
      assert.equal(signed.code, 0, signed.stderr);
      signatures.push(out);
    }
    const data = join(dir, 'data');
    const combined = await run(['ledger', 'init-combine', '--proposal', proposal, '--signature', ...signatures, '--out', join(dir, 'genesis.json'), '--data', data]);
    assert.equal(combined.code, 0, combined.stderr);
    const ledgerHash = ledgerHashOf(combined.stdout);
    const reversed = await run(['ledger', 'init-combine', '--proposal', proposal, '--signature', ...[...signatures].reverse()]);
    assert.equal(ledgerHashOf(reversed.stdout), ledgerHash);
    assert.equal((JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8')) as { ledgerHash: string }).ledgerHash, ledgerHash);

    // The ledger was really created on disk, at height 0, with that hash.
    const store = LmdbStore.open(data);
    try {
      const ledger = await Ledger.open(store, { suite: cryptoSuite });
      assert.equal(ledger.ledgerHash.toBase58(), ledgerHash);
      assert.equal(Number(ledger.tip.height), 0);
    } finally {
      await store.close();
    }

    // Missing one organisation's signature is refused, saying whose.
    const missing = await run(['ledger', 'init-combine', '--proposal', proposal, '--signature', ...signatures.slice(1)]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /org-a/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('identical init files give the identical ledger hash, also with the SM suite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jadechain-genesis-sm-'));
  try {
    const keys = await generateKeys(dir, 'SM2');
    const hashes: string[] = [];
    for (const attempt of [1, 2]) {
      const proposal = join(dir, `proposal-${attempt}.json`);
      assert.equal((await run(['ledger', 'init-propose', '--config', initFile(dir, keys, { crypto: 'sm' }), '--out', proposal])).code, 0);
      const signatures: string[] = [];
      for (const org of ORGS) {
        const out = join(dir, `${org}-${attempt}.sig.json`);
        const signed = await run(['ledger', 'init-sign', '--proposal', proposal, '--key', org, '--keystore', join(dir, 'keys'), '--out', out], ENV);
        assert.equal(signed.code, 0, signed.stderr);
        signatures.push(out);
      }
      const combined = await run(['ledger', 'init-combine', '--proposal', proposal, '--signature', ...signatures]);
      assert.equal(combined.code, 0, combined.stderr);
      hashes.push(ledgerHashOf(combined.stdout));
    }
    assert.equal(hashes[0], hashes[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad init files and foreign keys are refused with exit 2 and a precise message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jadechain-genesis-bad-'));
  try {
    const keys = await generateKeys(dir);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ createdTime: 'yesterday' }, /createdTime/],
      [{ crypto: 'quantum' }, /crypto/],
      [{ participants: [] }, /participants/],
      [{ participants: [{ name: 'x', publicKey: 'not-base58!' }] }, /participants\[0\]\.publicKey/],
      [{ limits: { maxTransactionBytes: -1 } }, /limits\.maxTransactionBytes/],
      [{ color: 'jade' }, /unknown field/],
    ];
    for (const [extra, message] of cases) {
      const r = await run(['ledger', 'init-propose', '--config', initFile(dir, keys, extra), '--out', join(dir, 'p.json')]);
      assert.equal(r.code, 2, JSON.stringify(extra));
      assert.match(r.stderr, message);
    }
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{ "seed": ');
    assert.equal((await run(['ledger', 'init-propose', '--config', notJson, '--out', join(dir, 'p.json')])).code, 2);

    // A key that is not a participant cannot sign.
    const proposal = join(dir, 'proposal.json');
    const threeOrgs = ORGS.slice(0, 3).map((name) => ({ name, publicKey: keys[name] }));
    assert.equal((await run(['ledger', 'init-propose', '--config', initFile(dir, keys, { participants: threeOrgs }), '--out', proposal])).code, 0);
    const foreign = await run(['ledger', 'init-sign', '--proposal', proposal, '--key', 'org-d', '--keystore', join(dir, 'keys'), '--out', join(dir, 's.json')], ENV);
    assert.equal(foreign.code, 2);
    assert.match(foreign.stderr, /not a participant/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
