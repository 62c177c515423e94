import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '@jadechain/storage';
import { LedgerInitProposal, LedgerInitSignature } from '@jadechain/types';
import type { LedgerInitSignature as InitSignature } from '@jadechain/types';
import { Ledger, LedgerError, accountAddresses, combineInit, createInitProposal, signInitProposal } from '../src/index.js';
import type { InitProposalParams } from '../src/index.js';
import { ALL_LEDGER_PERMISSIONS, GENESIS_TIME, admin, gateway, keyPair, organisations, role, suite, testSettings } from './fixtures.js';

function params(overrides: Partial<InitProposalParams> = {}): InitProposalParams {
  return {
    seed: new TextEncoder().encode('four organisations'),
    createdTime: GENESIS_TIME,
    settings: testSettings(),
    participants: organisations.map((org, id) => ({ id, name: org.name, address: org.keys.address, pubKey: org.keys.publicKey, state: 'CONSENSUS' })),
    genesisUsers: [
      { pubKey: admin.publicKey, roles: ['ADMIN'], policy: 'UNION' },
      { pubKey: gateway.publicKey, roles: ['GATEWAY'], policy: 'UNION' },
    ],
    roles: [role('ADMIN', ALL_LEDGER_PERMISSIONS), role('GATEWAY', ['APPROVE_TX'], [])],
    ...overrides,
  };
}

const proposal = createInitProposal(params());
const signatures = organisations.map((org) => signInitProposal(suite, proposal, org.keys.privateKey));

function failure(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return error instanceof LedgerError ? `${error.code}` : `unexpected ${String(error)}`;
  }
}

describe('genesis for several organisations', () => {
  test('four organisations: the same ledger hash whatever the order of the signatures', () => {
    const reference = combineInit(suite, proposal, signatures).ledgerHash.toBase58();
    const orders = [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]];
    for (const order of orders) {
      const shuffled = order.map((i) => signatures[i] as InitSignature);
      assert.equal(combineInit(suite, proposal, shuffled).ledgerHash.toBase58(), reference);
    }
  });

  test('identical inputs listed in another order give the identical proposal and ledger hash', () => {
    const base = params();
    const reordered = createInitProposal({ ...base, participants: [...base.participants].reverse(), genesisUsers: [...base.genesisUsers].reverse(), roles: [...base.roles].reverse() });
    assert.deepEqual(LedgerInitProposal.encode(reordered), LedgerInitProposal.encode(proposal));
  });

  test('the init file round-trips through JSON and its bytes, as the CLI passes it between organisations', () => {
    const fromJson = LedgerInitProposal.fromJsonText(LedgerInitProposal.toJsonText(proposal));
    const signaturesFromBytes = signatures.map((s) => LedgerInitSignature.decode(LedgerInitSignature.encode(s)));
    assert.equal(combineInit(suite, fromJson, signaturesFromBytes).ledgerHash.toBase58(), combineInit(suite, proposal, signatures).ledgerHash.toBase58());
  });

  test('the seed and the creation time are part of the ledger hash', () => {
    const hashOf = (overrides: Partial<InitProposalParams>): string => {
      const other = createInitProposal(params(overrides));
      return combineInit(suite, other, organisations.map((org) => signInitProposal(suite, other, org.keys.privateKey))).ledgerHash.toBase58();
    };
    const reference = combineInit(suite, proposal, signatures).ledgerHash.toBase58();
    assert.notEqual(hashOf({ seed: new TextEncoder().encode('another seed') }), reference);
    assert.notEqual(hashOf({ createdTime: GENESIS_TIME + 1n }), reference);
  });

  test('every participant must sign, only participants, each once, this very proposal, validly', () => {
    const other = createInitProposal(params({ seed: new Uint8Array([9]) }));
    const outsider = keyPair('outsider');
    const [first, second, third] = signatures as [InitSignature, InitSignature, InitSignature, InitSignature];
    const corrupted: InitSignature = { ...first, signature: { ...first.signature, signature: second.signature.signature } };
    assert.equal(failure(() => combineInit(suite, proposal, [first, second, third])), 'INVALID_GENESIS');
    assert.equal(failure(() => combineInit(suite, proposal, [...signatures, signInitProposal(suite, proposal, outsider.privateKey)])), 'INVALID_GENESIS');
    assert.equal(failure(() => combineInit(suite, proposal, [...signatures, first])), 'INVALID_GENESIS');
    assert.equal(failure(() => combineInit(suite, proposal, [signInitProposal(suite, other, organisations[0]?.keys.privateKey ?? assert.fail()), second, third, signatures[3] as InitSignature])), 'INVALID_GENESIS');
    assert.equal(failure(() => combineInit(suite, proposal, [corrupted, second, third, signatures[3] as InitSignature])), 'INVALID_GENESIS');
  });

  test('proposals that cannot make a ledger are refused', () => {
    const base = params();
    const [p0, p1] = base.participants as [InitProposalParams['participants'][number], InitProposalParams['participants'][number]];
    assert.equal(failure(() => createInitProposal({ ...base, settings: testSettings({ crypto: { hashAlgorithm: 'RIPEMD160', signatureAlgorithms: ['ED25519'] } }) })), 'INVALID_GENESIS');
    assert.equal(failure(() => createInitProposal({ ...base, participants: [{ ...p0, address: p1.address }, p1] })), 'INVALID_GENESIS');
    assert.equal(failure(() => createInitProposal({ ...base, participants: [p0, { ...p1, id: p0.id }] })), 'INVALID_GENESIS');
    assert.equal(failure(() => createInitProposal({ ...base, participants: base.participants.map((p) => ({ ...p, state: 'READY' as const })) })), 'INVALID_GENESIS');
    assert.equal(failure(() => createInitProposal({ ...base, genesisUsers: [{ pubKey: admin.publicKey, roles: ['NOBODY'], policy: 'UNION' }] })), 'INVALID_GENESIS');
    assert.equal(failure(() => createInitProposal({ ...base, settings: testSettings({ crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['SM2'] } }) })), 'INVALID_GENESIS');
  });

  test('the genesis block holds the settings, participants, roles and users, and its hash is the ledger hash', async () => {
    const genesis = combineInit(suite, proposal, signatures);
    const store = new MemoryStore();
    const ledger = await Ledger.initialize(store, genesis, { suite });
    assert.equal(ledger.ledgerHash.toBase58(), genesis.ledgerHash.toBase58());
    assert.equal(ledger.tip.blockHash.toBase58(), genesis.ledgerHash.toBase58());
    assert.equal(ledger.tip.header.ledgerHash, undefined);
    assert.equal(ledger.tip.header.previousHash, undefined);
    const state = ledger.tip.state();
    assert.deepEqual(state.settings(), proposal.settings);
    assert.deepEqual(state.participants().map((p) => p.name), ['org-a', 'org-b', 'org-c', 'org-d']);
    assert.deepEqual(state.role('GATEWAY')?.ledgerPermissions, ['APPROVE_TX']);
    assert.deepEqual(state.userRoles(admin.address)?.roles, ['ADMIN']);
    assert.equal(state.user(gateway.address)?.state, 'NORMAL');
    assert.deepEqual(accountAddresses(ledger.tip, 'users').map((a) => a.toBase58()).sort(), [admin.address, gateway.address].map((a) => a.toBase58()).sort());
    await assert.rejects(Ledger.initialize(store, genesis, { suite }), (e: unknown) => e instanceof LedgerError && e.code === 'ALREADY_INITIALIZED');
    const tampered = { ...genesis, ledgerHash: suite.hash('SHA256', new Uint8Array([0])) };
    await assert.rejects(Ledger.initialize(new MemoryStore(), tampered, { suite }), (e: unknown) => e instanceof LedgerError && e.code === 'INVALID_GENESIS');
  });

  test('opening an empty store says so', () => {
    assert.equal(failure(() => Ledger.open(new MemoryStore(), { suite })), 'NOT_INITIALIZED');
  });
});
