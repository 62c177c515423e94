import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerPermission, Operation } from '@jadechain/types';
import type { Ledger } from '../src/index.js';
import { admin, authorize, grant, keyPair, newLedger, registerUser, role, run, setup, stateRoots, text, ALL_LEDGER_PERMISSIONS, ALL_TRANSACTION_PERMISSIONS } from './fixtures.js';

/**
 * Every operation is refused without its permission and accepted with it. Alice holds the role
 * TESTER, which starts with both transaction permissions and no ledger permission; each case
 * grants exactly the permission it is about between the two attempts.
 */
const alice = keyPair('alice');
const bob = keyPair('bob');
const carol = keyPair('carol');
const account = keyPair('data-account');
const eventAccount = keyPair('event-account');
const contract = keyPair('contract');
const newParticipant = keyPair('participant-e');

const testerRoles = [
  role('ADMIN', ALL_LEDGER_PERMISSIONS, ALL_TRANSACTION_PERMISSIONS),
  role('GATEWAY', ['APPROVE_TX'], []),
  role('TESTER', [], ALL_TRANSACTION_PERMISSIONS),
];

async function ledgerWithAlice(): Promise<Ledger> {
  const ledger = await newLedger(undefined, { roles: testerRoles });
  await setup(ledger, [registerUser(alice), authorize(alice, ['TESTER'])]);
  return ledger;
}

const sharedOwners = { owners: [admin.address, alice.address] };
const deploy = (expectedVersion: bigint): Operation => ({
  type: 'ContractDeploy',
  address: contract.address,
  pubKey: contract.publicKey,
  code: new TextEncoder().encode(`export function main() { return ${expectedVersion}; }`),
  expectedVersion,
  language: 'JAVASCRIPT',
});

interface Case {
  readonly name: string;
  readonly permission: LedgerPermission;
  readonly setup?: readonly Operation[];
  readonly operation: Operation;
}

const cases: readonly Case[] = [
  { name: 'user register', permission: 'REGISTER_USER', operation: registerUser(bob) },
  { name: 'user state update', permission: 'UPDATE_USER_STATE', setup: [registerUser(bob)], operation: { type: 'UserStateUpdate', address: bob.address, state: 'FREEZE' } },
  {
    name: 'user certificate update',
    permission: 'UPDATE_USER_CA',
    setup: [registerUser(bob)],
    operation: { type: 'UserCertificateUpdate', address: bob.address, certificate: '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----' },
  },
  { name: 'data account register', permission: 'REGISTER_DATA_ACCOUNT', operation: { type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey } },
  {
    name: 'KV set',
    permission: 'WRITE_DATA_ACCOUNT',
    setup: [
      { type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey },
      { type: 'AccountPermissionSet', address: account.address, accountType: 'DATA', modeBits: 0o755, ...sharedOwners },
    ],
    operation: { type: 'KvSet', account: account.address, writes: [{ key: 'k', value: text('v'), expectedVersion: -1n }] },
  },
  { name: 'event account register', permission: 'REGISTER_EVENT_ACCOUNT', operation: { type: 'EventAccountRegister', address: eventAccount.address, pubKey: eventAccount.publicKey } },
  {
    name: 'event publish',
    permission: 'WRITE_EVENT_ACCOUNT',
    setup: [
      { type: 'EventAccountRegister', address: eventAccount.address, pubKey: eventAccount.publicKey },
      { type: 'AccountPermissionSet', address: eventAccount.address, accountType: 'EVENT', modeBits: 0o755, ...sharedOwners },
    ],
    operation: { type: 'EventPublish', account: eventAccount.address, events: [{ topic: 't', content: text('e'), expectedSequence: -1n }] },
  },
  { name: 'roles configure', permission: 'CONFIGURE_ROLES', operation: grant('AUDITOR', ['APPROVE_TX']) },
  { name: 'user authorize', permission: 'AUTHORIZE_USER_ROLES', setup: [registerUser(bob)], operation: authorize(bob, ['TESTER']) },
  {
    name: 'participant register',
    permission: 'REGISTER_PARTICIPANT',
    operation: { type: 'ParticipantRegister', name: 'org-e', address: newParticipant.address, pubKey: newParticipant.publicKey },
  },
  {
    name: 'participant state update',
    permission: 'REGISTER_PARTICIPANT',
    setup: [{ type: 'ParticipantRegister', name: 'org-e', address: newParticipant.address, pubKey: newParticipant.publicKey }],
    operation: { type: 'ParticipantStateUpdate', address: newParticipant.address, state: 'CONSENSUS' },
  },
  { name: 'consensus settings update', permission: 'SET_CONSENSUS', operation: { type: 'ConsensusSettingsUpdate', consensus: { provider: 'bft', properties: { f: '1' } } } },
  { name: 'hash algorithm update', permission: 'SET_CRYPTO', operation: { type: 'HashAlgorithmUpdate', algorithm: 'SM3' } },
  { name: 'contract first deploy', permission: 'REGISTER_CONTRACT', operation: deploy(-1n) },
  {
    name: 'contract upgrade',
    permission: 'UPGRADE_CONTRACT',
    setup: [deploy(-1n), { type: 'AccountPermissionSet', address: contract.address, accountType: 'CONTRACT', modeBits: 0o755, ...sharedOwners }],
    operation: deploy(0n),
  },
  { name: 'contract state update', permission: 'UPDATE_CONTRACT_STATE', setup: [deploy(-1n)], operation: { type: 'ContractStateUpdate', address: contract.address, state: 'FREEZE' } },
];

describe('each operation needs its ledger permission', () => {
  for (const c of cases) {
    test(`${c.name} needs ${c.permission}`, async () => {
      const ledger = await ledgerWithAlice();
      if (c.setup !== undefined) await setup(ledger, c.setup);
      const before = stateRoots(ledger.tip);
      assert.equal(await run(ledger, [c.operation], { signers: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
      assert.deepEqual(stateRoots(ledger.tip), before, 'a refused operation changes no state');
      await setup(ledger, [grant('TESTER', [c.permission])]);
      assert.equal(await run(ledger, [c.operation], { signers: [alice] }), 'SUCCESS');
    });
  }

  test('user authorize is not allowed by CONFIGURE_ROLES alone (JD Chain checks that one)', async () => {
    const ledger = await ledgerWithAlice();
    await setup(ledger, [registerUser(bob), grant('TESTER', ['CONFIGURE_ROLES'])]);
    assert.equal(await run(ledger, [authorize(bob, ['TESTER'])], { signers: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
  });

  test('a first deploy is not allowed by UPGRADE_CONTRACT alone, an upgrade not by REGISTER_CONTRACT alone', async () => {
    const ledger = await ledgerWithAlice();
    await setup(ledger, [grant('TESTER', ['UPGRADE_CONTRACT'])]);
    assert.equal(await run(ledger, [deploy(-1n)], { signers: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
    await setup(ledger, [
      deploy(-1n),
      { type: 'AccountPermissionSet', address: contract.address, accountType: 'CONTRACT', modeBits: 0o755, ...sharedOwners },
      { type: 'RolesConfigure', roles: [{ name: 'TESTER', enableLedgerPermissions: ['REGISTER_CONTRACT'], disableLedgerPermissions: ['UPGRADE_CONTRACT'], enableTransactionPermissions: [], disableTransactionPermissions: [] }] },
    ]);
    assert.equal(await run(ledger, [deploy(0n)], { signers: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
  });

  test('a contract invocation needs CONTRACT_OPERATION, then meets "execution not available"', async () => {
    const ledger = await newLedger(undefined, { roles: [...testerRoles.slice(0, 2), role('TESTER', [], ['DIRECT_OPERATION'])] });
    await setup(ledger, [registerUser(alice), authorize(alice, ['TESTER']), deploy(-1n)]);
    const invoke: Operation = { type: 'ContractInvoke', address: contract.address, method: 'main', args: [] };
    assert.equal(await run(ledger, [invoke], { signers: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
    await setup(ledger, [grant('TESTER', [], ['CONTRACT_OPERATION'])]);
    assert.equal(await run(ledger, [invoke], { signers: [alice] }), 'CONTRACT_EXECUTION_UNAVAILABLE');
  });

  test('direct operations need the transaction permission DIRECT_OPERATION', async () => {
    const ledger = await newLedger(undefined, { roles: [...testerRoles.slice(0, 2), role('TESTER', ['REGISTER_USER'], [])] });
    await setup(ledger, [registerUser(alice), authorize(alice, ['TESTER'])]);
    assert.equal(await run(ledger, [registerUser(bob)], { signers: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
    await setup(ledger, [grant('TESTER', [], ['DIRECT_OPERATION'])]);
    assert.equal(await run(ledger, [registerUser(bob)], { signers: [alice] }), 'SUCCESS');
  });

  test('only an owner changes an account permission', async () => {
    const ledger = await ledgerWithAlice();
    await setup(ledger, [{ type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey }]);
    const open: Operation = { type: 'AccountPermissionSet', address: account.address, accountType: 'DATA', modeBits: 0o777 };
    assert.equal(await run(ledger, [open], { signers: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
    await setup(ledger, [{ type: 'AccountPermissionSet', address: account.address, accountType: 'DATA', modeBits: 0o755, ...sharedOwners }]);
    assert.equal(await run(ledger, [open], { signers: [alice] }), 'SUCCESS');
  });
});

describe('account mode bits', () => {
  async function withAccount(): Promise<Ledger> {
    const ledger = await ledgerWithAlice();
    await setup(ledger, [
      grant('TESTER', ['WRITE_DATA_ACCOUNT']),
      registerUser(bob),
      authorize(bob, ['TESTER']),
      { type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey },
    ]);
    return ledger;
  }
  const write = (key: string): Operation => ({ type: 'KvSet', account: account.address, writes: [{ key, value: text(key), expectedVersion: -1n }] });
  const setMode = (modeBits: number, extra: object = {}): Operation => ({ type: 'AccountPermissionSet', address: account.address, accountType: 'DATA', modeBits, ...extra });

  test('the default (0o755) lets owners write and nobody else', async () => {
    const ledger = await withAccount();
    assert.equal(await run(ledger, [write('a')], { signers: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
    assert.equal(await run(ledger, [write('b')]), 'SUCCESS');
  });

  test('others get write access through the last three bits', async () => {
    const ledger = await withAccount();
    await setup(ledger, [setMode(0o757)]);
    assert.equal(await run(ledger, [write('a')], { signers: [alice] }), 'SUCCESS');
  });

  test("holders of the account's role get the middle three bits", async () => {
    const ledger = await withAccount();
    await setup(ledger, [grant('WRITERS', []), authorize(alice, ['WRITERS']), setMode(0o770, { role: 'WRITERS' })]);
    assert.equal(await run(ledger, [write('a')], { signers: [alice] }), 'SUCCESS');
    assert.equal(await run(ledger, [write('b')], { signers: [bob] }), 'REJECTED_BY_SECURITY_POLICY');
  });

  test('owners are held to the owner bits', async () => {
    const ledger = await withAccount();
    await setup(ledger, [setMode(0o577)]);
    assert.equal(await run(ledger, [write('a')]), 'REJECTED_BY_SECURITY_POLICY');
    assert.equal(await run(ledger, [write('a')], { signers: [alice] }), 'SUCCESS');
  });

  test('invoking a contract needs its x bit', async () => {
    const ledger = await ledgerWithAlice();
    await setup(ledger, [deploy(-1n), { type: 'AccountPermissionSet', address: contract.address, accountType: 'CONTRACT', modeBits: 0o754 }]);
    const invoke: Operation = { type: 'ContractInvoke', address: contract.address, method: 'main', args: [] };
    assert.equal(await run(ledger, [invoke], { signers: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
    assert.equal(await run(ledger, [invoke]), 'CONTRACT_EXECUTION_UNAVAILABLE');
  });
});

describe('signers', () => {
  test('an endpoint signer must be a registered user', async () => {
    const ledger = await ledgerWithAlice();
    assert.equal(await run(ledger, [registerUser(carol)], { signers: [bob] }), 'REJECTED_BY_SECURITY_POLICY');
  });

  test('an endpoint signer must be NORMAL: a frozen user is refused, a restored one accepted', async () => {
    const ledger = await ledgerWithAlice();
    await setup(ledger, [grant('TESTER', ['REGISTER_USER']), { type: 'UserStateUpdate', address: alice.address, state: 'FREEZE' }]);
    assert.equal(await run(ledger, [registerUser(bob)], { signers: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
    await setup(ledger, [{ type: 'UserStateUpdate', address: alice.address, state: 'NORMAL' }]);
    assert.equal(await run(ledger, [registerUser(bob)], { signers: [alice] }), 'SUCCESS');
  });

  test('a node signer must hold APPROVE_TX, and a transaction needs one', async () => {
    const ledger = await ledgerWithAlice();
    assert.equal(await run(ledger, [registerUser(bob)], { nodes: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
    assert.equal(await run(ledger, [registerUser(bob)], { nodes: [] }), 'REJECTED_BY_SECURITY_POLICY');
    await setup(ledger, [grant('TESTER', ['APPROVE_TX'])]);
    assert.equal(await run(ledger, [registerUser(bob)], { nodes: [alice] }), 'SUCCESS');
  });

  test('the DEFAULT role grants nothing unless configured', async () => {
    const ledger = await newLedger();
    await setup(ledger, [registerUser(alice)]);
    assert.equal(await run(ledger, [registerUser(bob)], { signers: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
    await setup(ledger, [grant('DEFAULT', ['REGISTER_USER'], ['DIRECT_OPERATION'])]);
    assert.equal(await run(ledger, [registerUser(bob)], { signers: [alice] }), 'SUCCESS');
  });

  test('UNION grants what any role grants, INTERSECT what all grant', async () => {
    const ledger = await newLedger();
    await setup(ledger, [
      registerUser(alice),
      grant('R1', ['REGISTER_USER'], ['DIRECT_OPERATION']),
      grant('R2', ['REGISTER_DATA_ACCOUNT'], ['DIRECT_OPERATION']),
      authorize(alice, ['R1', 'R2'], 'UNION'),
    ]);
    assert.equal(await run(ledger, [registerUser(bob)], { signers: [alice] }), 'SUCCESS');
    await setup(ledger, [authorize(alice, [], 'INTERSECT')]);
    assert.equal(await run(ledger, [registerUser(carol)], { signers: [alice] }), 'REJECTED_BY_SECURITY_POLICY');
  });

  test('one signer with the permission is enough among several', async () => {
    const ledger = await ledgerWithAlice();
    assert.equal(await run(ledger, [registerUser(bob)], { signers: [alice, admin] }), 'SUCCESS');
  });
});
