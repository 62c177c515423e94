import { PrivKey, cryptoSuite } from '@jadechain/crypto/node';
import type { Address, KeyPair } from '@jadechain/crypto';
import { Ledger, combineInit, createInitProposal, signInitProposal } from '@jadechain/ledger';
import type { ExecutionResult, GenesisBlock } from '@jadechain/ledger';
import { MemoryStore } from '@jadechain/storage';
import { commitVoteMessage, signHash, transactionHash } from '@jadechain/types';
import type { LedgerPermission, Operation, TransactionRequest, TypedValue } from '@jadechain/types';
import { createQueryService } from '../src/query/index.js';
import type { JdEnvelope, QueryService } from '../src/query/index.js';

/**
 * A real ledger on a memory store, filled by executing and committing signed transactions, and
 * the query service over it. Every key derives from a label, so every run builds the same ledger.
 */
export const suite = cryptoSuite;
type Keys = KeyPair & { readonly address: Address };

export function keyPair(label: string): Keys {
  const seed = suite.hash('SHA256', new TextEncoder().encode(`jadechain-query-test:${label}`)).raw;
  const privateKey = new PrivKey('ED25519', seed);
  const publicKey = suite.publicKeyOf(privateKey);
  return { privateKey, publicKey, address: publicKey.address() };
}

const ALL_PERMISSIONS: readonly LedgerPermission[] = [
  'CONFIGURE_ROLES', 'AUTHORIZE_USER_ROLES', 'REGISTER_USER', 'REGISTER_DATA_ACCOUNT', 'REGISTER_CONTRACT', 'WRITE_DATA_ACCOUNT',
  'APPROVE_TX', 'REGISTER_EVENT_ACCOUNT', 'WRITE_EVENT_ACCOUNT', 'UPGRADE_CONTRACT',
];
export const GENESIS_TIME = 1_700_000_000_000n;
export const organisations = ['org-a', 'org-b'].map((name) => ({ name, keys: keyPair(`participant:${name}`) }));
export const admin = keyPair('admin');
export const gateway = keyPair('gateway');
export const alice = keyPair('alice');
export const bob = keyPair('bob');
export const dataAccount = keyPair('data-account');
export const eventAccount = keyPair('event-account');
export const contract = keyPair('contract');
export const CONTRACT_V0 = 'export function hello() { return "v0"; }';
export const CONTRACT_V1 = 'export function hello() { return "v1"; }';
/** Transactions of block 5, each writing one key, so lists run past a page. */
export const BULK_TRANSACTIONS = 110;

export const text = (value: string): TypedValue => ({ type: 'TEXT', value });
const kvSet = (key: string, value: TypedValue, expectedVersion: bigint): Operation => ({
  type: 'KvSet',
  account: dataAccount.address,
  writes: [{ key, value, expectedVersion }],
});

export interface Fixture {
  readonly ledger: Ledger;
  readonly service: QueryService;
  /** Block results by height (1…5). */
  readonly blocks: readonly ExecutionResult[];
  /** The genesis the ledger was initialized with (to start another copy of it). */
  readonly genesis: GenesisBlock;
}

let nonce = 0;

function sign(ledger: Ledger, operations: readonly Operation[]): TransactionRequest {
  const content = { ledgerHash: ledger.ledgerHash, operations, timestamp: GENESIS_TIME + 1000n, nonce: new TextEncoder().encode(`nonce-${String(++nonce).padStart(8, '0')}`) };
  const hash = transactionHash(suite, 'SHA256', content);
  return { content, endpointSignatures: [signHash(suite, admin.privateKey, hash)], nodeSignatures: [signHash(suite, gateway.privateKey, hash)] };
}

async function commit(ledger: Ledger, transactions: readonly TransactionRequest[]): Promise<ExecutionResult> {
  const result = ledger.execute({ height: ledger.tip.height + 1, timestamp: GENESIS_TIME + 1000n * BigInt(ledger.tip.height + 1), transactions });
  if (result.rejected.length > 0) throw new Error(`rejected: ${result.rejected.map((r) => r.message).join('; ')}`);
  const vote = { ledgerHash: ledger.ledgerHash, height: result.header.height, round: 0, blockHash: result.blockHash };
  const message = commitVoteMessage(vote);
  await ledger.commit(result.writeSet, {
    height: vote.height,
    round: 0,
    blockHash: result.blockHash,
    votes: organisations.map((org, id) => ({ voter: { type: 'PARTICIPANT_ID' as const, id }, signature: suite.sign(org.keys.privateKey, message) })),
  });
  return result;
}

export async function buildFixture(): Promise<Fixture> {
  const proposal = createInitProposal({
    seed: new TextEncoder().encode('jadechain query fixture'),
    createdTime: GENESIS_TIME,
    settings: {
      protocolVersion: 1,
      crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519'] },
      consensus: { provider: 'single', properties: { 'block.max': '100', alpha: 'x' } },
      identityMode: 'KEYPAIR',
      rootCertificates: [],
      limits: { maxTransactionBytes: 1 << 20, maxOperationsPerTransaction: 64, maxTransactionsPerBlock: 5000, maxBlockBytes: 64 << 20, maxValueBytes: 1 << 16 },
      timestampWindowMs: 600_000,
    },
    participants: organisations.map((org, id) => ({ id, name: org.name, address: org.keys.address, pubKey: org.keys.publicKey, state: 'CONSENSUS' })),
    genesisUsers: [
      { pubKey: admin.publicKey, roles: ['ADMIN'], policy: 'UNION' },
      { pubKey: gateway.publicKey, roles: ['GATEWAY'], policy: 'UNION' },
    ],
    roles: [
      { name: 'ADMIN', ledgerPermissions: ALL_PERMISSIONS, transactionPermissions: ['DIRECT_OPERATION', 'CONTRACT_OPERATION'] },
      { name: 'GATEWAY', ledgerPermissions: ['APPROVE_TX'], transactionPermissions: [] },
    ],
  });
  const genesis = combineInit(suite, proposal, organisations.map((org) => signInitProposal(suite, proposal, org.keys.privateKey)));
  const ledger = await Ledger.initialize(new MemoryStore(), genesis, { suite });
  const blocks: ExecutionResult[] = [];
  // Block 1: a user, a data account and an event account.
  blocks.push(await commit(ledger, [
    sign(ledger, [{ type: 'UserRegister', address: alice.address, pubKey: alice.publicKey }]),
    sign(ledger, [{ type: 'DataAccountRegister', address: dataAccount.address, pubKey: dataAccount.publicKey }]),
    sign(ledger, [{ type: 'EventAccountRegister', address: eventAccount.address, pubKey: eventAccount.publicKey }]),
  ]));
  // Block 2: first KV versions, a role and alice's roles (INTERSECT of AUDITOR and ADMIN).
  blocks.push(await commit(ledger, [
    sign(ledger, [kvSet('k1', text('one'), -1n), kvSet('n', { type: 'INT64', value: 1024n }, -1n), kvSet('bin', { type: 'BYTES', value: new Uint8Array([1, 2, 3]) }, -1n)]),
    sign(ledger, [
      { type: 'RolesConfigure', roles: [{ name: 'AUDITOR', enableLedgerPermissions: ['REGISTER_USER', 'APPROVE_TX'], disableLedgerPermissions: [], enableTransactionPermissions: ['DIRECT_OPERATION'], disableTransactionPermissions: [] }] },
      { type: 'UserAuthorize', authorizations: [{ userAddresses: [alice.address], policy: 'INTERSECT', authorizeRoles: ['AUDITOR', 'ADMIN'], unauthorizeRoles: [] }] },
    ]),
  ]));
  // Block 3: a second KV version, two events, a contract.
  blocks.push(await commit(ledger, [
    sign(ledger, [kvSet('k1', text('two'), 0n)]),
    sign(ledger, [{ type: 'EventPublish', account: eventAccount.address, events: [{ topic: 'alerts', content: text('a0'), expectedSequence: -1n }, { topic: 'alerts', content: text('a1'), expectedSequence: 0n }] }]),
    sign(ledger, [{ type: 'ContractDeploy', address: contract.address, pubKey: contract.publicKey, code: new TextEncoder().encode(CONTRACT_V0), expectedVersion: -1n, language: 'JAVASCRIPT' }]),
  ]));
  // Block 4: a third version, a contract upgrade, another topic and a failing transaction.
  blocks.push(await commit(ledger, [
    sign(ledger, [kvSet('k1', text('three'), 1n)]),
    sign(ledger, [{ type: 'ContractDeploy', address: contract.address, pubKey: contract.publicKey, code: new TextEncoder().encode(CONTRACT_V1), expectedVersion: 0n, language: 'JAVASCRIPT' }]),
    sign(ledger, [{ type: 'EventPublish', account: eventAccount.address, events: [{ topic: 'audit', content: { type: 'INT64', value: 7n }, expectedSequence: -1n }] }]),
    sign(ledger, [kvSet('k1', text('conflict'), 0n)]),
  ]));
  // Block 5: many transactions, one new key each.
  const bulk: TransactionRequest[] = [];
  for (let i = 0; i < BULK_TRANSACTIONS; i++) bulk.push(sign(ledger, [kvSet(`p${String(i).padStart(3, '0')}`, text(`v${i}`), -1n)]));
  blocks.push(await commit(ledger, bulk));
  const service = createQueryService({ get: (hash) => (hash === ledger.ledgerHash.toBase58() ? ledger : undefined), list: () => [ledger] });
  return { ledger, service, blocks, genesis };
}

/** GETs a path (with `?query`) and returns the status and envelope. */
export function get(service: QueryService, pathAndQuery: string): { status: number; body: JdEnvelope } {
  const [path = '', search = ''] = pathAndQuery.split('?', 2);
  return service.handle({ method: 'GET', path, query: Object.fromEntries(new URLSearchParams(search)) });
}

/** The data of a successful answer (fails the test otherwise). */
export function data(service: QueryService, pathAndQuery: string): unknown {
  const { status, body } = get(service, pathAndQuery);
  if (status !== 200 || !body.success) throw new Error(`${pathAndQuery} answered ${status} ${JSON.stringify(body)}`);
  return body.data;
}
