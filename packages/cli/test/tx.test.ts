import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeystoreDir, cryptoSuite } from '@jadechain/crypto';
import { TransactionRequest, transactionHash, verifyHashSignature } from '@jadechain/types';
import { run } from './helpers.js';

/** Offline signing and bad usage need no network: a testnet folder (keys, manifest) is enough. */
describe('jadechain tx without a network', () => {
  let dir: string;
  let ledgerHash: string;
  const account = 'LdeNznUoKUfGPL1EKUCDMoZ1HPp2Mer318SZr';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-tx-'));
    const r = await run(['testnet', 'init', '--dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    ledgerHash = /ledgerHash\s+(\S+)/.exec(r.stdout)?.[1] ?? '';
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("--offline signs with the testnet's administrator key, found with its development password", async () => {
    const file = join(dir, 'kv.tx.json');
    const r = await run(['tx', 'kv-set', '--dir', dir, '--account', account, '--key', 'n', '--value', '-42', '--type', 'int64', '--expected-version', '3', '--offline', file]);
    assert.equal(r.code, 0, r.stderr);
    const request = TransactionRequest.fromJsonText(readFileSync(file, 'utf8'));
    assert.equal(request.content.ledgerHash.toBase58(), ledgerHash);
    const [op] = request.content.operations;
    assert.ok(op?.type === 'KvSet' && request.content.operations.length === 1);
    assert.equal(op.account.toBase58(), account);
    assert.deepEqual(op.writes, [{ key: 'n', value: { type: 'INT64', value: -42n }, expectedVersion: 3n }]);
    const hash = transactionHash(cryptoSuite, 'SHA256', request.content);
    assert.match(r.stdout, new RegExp(`transaction +${hash.toBase58()}`));
    const admin = new KeystoreDir(join(dir, 'keys'), cryptoSuite).show('admin');
    assert.equal(request.endpointSignatures.length, 1);
    assert.ok(request.endpointSignatures[0]?.pubKey.equals(admin.publicKey));
    assert.ok(verifyHashSignature(cryptoSuite, request.endpointSignatures[0]!, hash));
  });

  test('an account registration prints the new address last, and --signer picks another testnet key', async () => {
    const r = await run(['tx', 'data-account-register', '--dir', dir, '--signer', 'gateway', '--offline', join(dir, 'da.tx.json')]);
    assert.equal(r.code, 0, r.stderr);
    const last = r.stdout.trim().split(/\s+/).at(-1) ?? '';
    const request = TransactionRequest.fromJsonText(readFileSync(join(dir, 'da.tx.json'), 'utf8'));
    const op = request.content.operations[0];
    assert.ok(op?.type === 'DataAccountRegister' && op.address.toBase58() === last, r.stdout);
    const gateway = new KeystoreDir(join(dir, 'keys'), cryptoSuite).show('gateway');
    assert.ok(request.endpointSignatures[0]?.pubKey.equals(gateway.publicKey));
  });

  test('bad usage exits 2 with the reason and its code', async () => {
    const cases: [string[], RegExp][] = [
      [['kv-set', '--account', account, '--key', 'k', '--value', '12x', '--type', 'INT64'], /not a decimal integer/],
      [['kv-set', '--account', account, '--key', 'k', '--value', '{', '--type', 'JSON'], /not JSON text/],
      [['kv-set', '--account', account, '--key', 'k', '--value', 'v', '--type', 'FLOAT'], /--type must be one of/],
      [['kv-set', '--account', account, '--key', 'k', '--value', 'v', '--expected-version', '-2'], /--expected-version/],
      [['kv-set', '--account', 'not-base58!', '--key', 'k', '--value', 'v'], /not a base58 address/],
      [['kv-set', '--key', 'k', '--value', 'v'], /required option '--account/],
      [['user-register'], /exactly one of --public-key, --user-key/],
      [['roles-configure', '--role', 'writer', '--enable', 'FLY'], /unknown permission FLY/],
      [['user-authorize', '--user', account, '--authorize', 'bad role!'], /not a role name/],
      [['event-publish', '--account', account, '--topic', 't', '--content', 'c', '--signer', 'nobody'], /nobody/],
    ];
    for (const [args, reason] of cases) {
      const r = await run(['tx', ...args, '--dir', dir, '--offline', join(dir, 'never.json')]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, reason, args.join(' '));
    }
  });

  test('outside a testnet, --offline needs a ledger and a key', async () => {
    const elsewhere = join(dir, 'not-a-testnet');
    const noLedger = await run(['tx', 'data-account-register', '--dir', elsewhere, '--offline', join(dir, 'x.json')]);
    assert.equal(noLedger.code, 2);
    assert.match(noLedger.stderr, /--offline needs --ledger/);
    const noKey = await run(['tx', 'data-account-register', '--dir', elsewhere, '--ledger', ledgerHash, '--offline', join(dir, 'x.json')]);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /no --key given/);
  });

  test('an unreachable gateway is a failure (1), not bad usage', async () => {
    const r = await run(['tx', 'send', join(dir, 'kv.tx.json'), '--gateway', 'http://127.0.0.1:1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /UNREACHABLE/);
    const notAFile = await run(['tx', 'send', join(dir, 'missing.json')]);
    assert.equal(notAFile.code, 2);
  });
});
