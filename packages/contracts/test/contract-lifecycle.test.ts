import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ledger, contractAtVersion, proveTransaction } from '@jadechain/ledger';
import { cryptoSuite } from '@jadechain/crypto/node';
import { LocalLedger, QuickJsContractExecutor, identity, invokeOn } from '../src/index.js';

const V1 = 'exports.version = function () { return "one"; };';
const V2 = 'exports.version = function () { return "two"; };\nexports.added = function () { return 2; };';

async function deployed(): Promise<{ ledger: LocalLedger; contract: Awaited<ReturnType<LocalLedger['deploy']>> }> {
  const ledger = await LocalLedger.create();
  return { ledger, contract: await ledger.deploy('versioned', V1) };
}

describe('contract lifecycle on the real ledger', () => {
  test('deploy records the code hash; an upgrade by an owner keeps every version retrievable', async () => {
    const { ledger, contract } = await deployed();
    await ledger.deploy('versioned', V2);
    const view = ledger.ledger.tip;
    const versions = [0n, 1n].map((version) => contractAtVersion(view, contract, version));
    assert.deepEqual(versions.map((account) => account?.version), [0n, 1n]);
    const codes = versions.map((account) => new TextDecoder().decode(view.state().code(account?.codeHash.toBytes() ?? new Uint8Array()) ?? new Uint8Array()));
    assert.deepEqual(codes, [V1, V2]);
    assert.ok(versions[0]?.codeHash.equals(cryptoSuite.hash('SHA256', new TextEncoder().encode(V1))));
    assert.equal((await invokeOn(ledger, contract, 'version', [])).value, 'two');
    assert.equal((await invokeOn(ledger, contract, 'added', [])).value, 2n);
    assert.equal((await invokeOn(ledger, contract, 'version', [], { version: 0n })).state, 'CONTRACT_VERSION_CONFLICT');
  });

  test('only an authorised user upgrades: a non-owner is refused and the code stays', async () => {
    const { ledger, contract } = await deployed();
    const stranger = await ledger.user('mallory');
    const upgrade = await ledger.submit(
      [{ type: 'ContractDeploy', address: contract, pubKey: identity('versioned').publicKey, code: new TextEncoder().encode(V2), expectedVersion: 0n, language: 'JAVASCRIPT' }],
      [stranger.label],
    );
    assert.equal(upgrade.state, 'REJECTED_BY_SECURITY_POLICY');
    assert.equal((await invokeOn(ledger, contract, 'version', [])).value, 'one');
  });

  test('freeze stops invocations, unfreeze restores them, revoke is final', async () => {
    const { ledger, contract } = await deployed();
    assert.equal((await ledger.setContractState(contract, 'FREEZE')).state, 'SUCCESS');
    assert.equal((await invokeOn(ledger, contract, 'version', [])).state, 'ILLEGAL_ACCOUNT_STATE');
    assert.equal((await ledger.setContractState(contract, 'NORMAL')).state, 'SUCCESS');
    assert.equal((await invokeOn(ledger, contract, 'version', [])).value, 'one');
    assert.equal((await ledger.setContractState(contract, 'REVOKE')).state, 'SUCCESS');
    assert.equal((await invokeOn(ledger, contract, 'version', [])).state, 'ILLEGAL_ACCOUNT_STATE');
    assert.equal((await ledger.setContractState(contract, 'NORMAL')).state, 'ILLEGAL_ACCOUNT_STATE');
  });

  test('per-contract permission: mode bits and role decide who may invoke', async () => {
    const { ledger, contract } = await deployed();
    const setPermission = (modeBits: number, role?: string) =>
      ledger.submit([{ type: 'AccountPermissionSet', address: contract, accountType: 'CONTRACT', modeBits, ...(role === undefined ? {} : { role }) }]);
    assert.equal((await setPermission(0o700)).state, 'SUCCESS');
    assert.equal((await invokeOn(ledger, contract, 'version', [])).state, 'REJECTED_BY_SECURITY_POLICY', 'alice is neither owner nor in its role');
    assert.equal((await invokeOn(ledger, contract, 'version', [], { signers: ['admin'] })).value, 'one', 'the owner may');
    assert.equal((await setPermission(0o710, 'USER')).state, 'SUCCESS');
    assert.equal((await invokeOn(ledger, contract, 'version', [])).value, 'one', 'alice holds the role USER');
    const nested = await ledger.deploy('caller', 'exports.main = function (ctx, target) { return ctx.call(target, "version"); };');
    assert.equal((await invokeOn(ledger, nested, 'main', [contract.toBase58()])).value, 'one', 'a nested call runs with the signer\'s rights');
    assert.equal((await setPermission(0o700)).state, 'SUCCESS');
    const refused = await invokeOn(ledger, nested, 'main', [contract.toBase58()]);
    assert.equal(refused.state, 'CONTRACT_EXECUTE_ERROR');
    assert.match(refused.invocation?.failure?.message ?? '', /execute access/);
  });

  test('receipts are stored with their block, survive a reopen and are covered by the transaction proof', async () => {
    const executor = await QuickJsContractExecutor.load();
    const local = await LocalLedger.create();
    const contract = await local.deploy('thrower', 'exports.main = function () {\n  throw new Error("kept");\n};');
    const failed = await invokeOn(local, contract, 'main', []);
    const hash = failed.result.transactionHash;
    const reopened = Ledger.open(local.ledger.store, { suite: cryptoSuite, contractExecutor: executor });
    assert.deepEqual(reopened.transaction(hash)?.receipt, failed.receipt);
    assert.equal(failed.receipt?.sandboxVersion, executor.sandboxVersion);
    const proof = proveTransaction(reopened.tip, reopened.tip.height, hash);
    assert.deepEqual(proof.transaction?.receipt?.invocations[0]?.failure?.message, 'kept');
  });
});
