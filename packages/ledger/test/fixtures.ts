import { PrivKey, cryptoSuite } from '@jadechain/crypto/node';
import type { Address, HashDigest, KeyPair } from '@jadechain/crypto';
import { MemoryStore } from '@jadechain/storage';
import type { KVStore } from '@jadechain/storage';
import { commitVoteMessage, signHash, transactionHash } from '@jadechain/types';
import type {
  CommitCertificate,
  LedgerPermission,
  LedgerSettings,
  Operation,
  RolePrivileges,
  TransactionPermission,
  TransactionRequest,
  TypedValue,
} from '@jadechain/types';
import { Ledger, combineInit, createInitProposal, signInitProposal } from '../src/index.js';
import type { ExecutionResult, GenesisBlock, LedgerView } from '../src/index.js';

/** Test fixtures: deterministic keys, a four-organisation genesis, transaction and certificate builders. */
export const suite = cryptoSuite;

/** A key pair derived from a label, so that two ledgers built in one test share identities. */
export function keyPair(label: string): KeyPair & { readonly address: Address } {
  const seed = suite.hash('SHA256', new TextEncoder().encode(`jadechain-test-key:${label}`)).raw;
  const privateKey = new PrivKey('ED25519', seed);
  const publicKey = suite.publicKeyOf(privateKey);
  return { privateKey, publicKey, address: publicKey.address() };
}

export const ALL_LEDGER_PERMISSIONS: readonly LedgerPermission[] = [
  'CONFIGURE_ROLES', 'AUTHORIZE_USER_ROLES', 'SET_CONSENSUS', 'SET_CRYPTO', 'REGISTER_PARTICIPANT', 'REGISTER_USER',
  'REGISTER_DATA_ACCOUNT', 'REGISTER_CONTRACT', 'SET_USER_ATTRIBUTES', 'WRITE_DATA_ACCOUNT', 'APPROVE_TX', 'CONSENSUS_TX',
  'REGISTER_EVENT_ACCOUNT', 'WRITE_EVENT_ACCOUNT', 'UPDATE_USER_STATE', 'UPDATE_ROOT_CA', 'UPDATE_USER_CA',
  'UPDATE_CONTRACT_STATE', 'UPGRADE_CONTRACT',
];
export const ALL_TRANSACTION_PERMISSIONS: readonly TransactionPermission[] = ['DIRECT_OPERATION', 'CONTRACT_OPERATION'];

export function role(name: string, ledgerPermissions: readonly LedgerPermission[], transactionPermissions: readonly TransactionPermission[] = ['DIRECT_OPERATION']): RolePrivileges {
  return { name, ledgerPermissions, transactionPermissions };
}

export function testSettings(overrides: Partial<LedgerSettings> = {}): LedgerSettings {
  return {
    protocolVersion: 1,
    crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519'] },
    consensus: { provider: 'single', properties: {} },
    identityMode: 'KEYPAIR',
    rootCertificates: [],
    limits: {
      maxTransactionBytes: 1 << 20,
      maxOperationsPerTransaction: 64,
      maxTransactionsPerBlock: 5000,
      maxBlockBytes: 64 << 20,
      maxValueBytes: 1 << 16,
    },
    timestampWindowMs: 60_000,
    ...overrides,
  };
}

export const GENESIS_TIME = 1_700_000_000_000n;
export const organisations = ['org-a', 'org-b', 'org-c', 'org-d'].map((name) => ({ name, keys: keyPair(`participant:${name}`) }));
/** The ledger's administrator (every permission) and gateway (APPROVE_TX only). */
export const admin = keyPair('admin');
export const gateway = keyPair('gateway');

export interface GenesisOptions {
  readonly settings?: LedgerSettings;
  readonly roles?: readonly RolePrivileges[];
  readonly seed?: Uint8Array;
}

export function testGenesis(options: GenesisOptions = {}): GenesisBlock {
  const proposal = createInitProposal({
    seed: options.seed ?? new TextEncoder().encode('jadechain test ledger'),
    createdTime: GENESIS_TIME,
    settings: options.settings ?? testSettings(),
    participants: organisations.map((org, id) => ({ id, name: org.name, address: org.keys.address, pubKey: org.keys.publicKey, state: 'CONSENSUS' })),
    genesisUsers: [
      { pubKey: admin.publicKey, roles: ['ADMIN'], policy: 'UNION' },
      { pubKey: gateway.publicKey, roles: ['GATEWAY'], policy: 'UNION' },
    ],
    roles: options.roles ?? [role('ADMIN', ALL_LEDGER_PERMISSIONS, ALL_TRANSACTION_PERMISSIONS), role('GATEWAY', ['APPROVE_TX'], [])],
  });
  return combineInit(suite, proposal, organisations.map((org) => signInitProposal(suite, proposal, org.keys.privateKey)));
}

export async function newLedger(store: KVStore = new MemoryStore(), options: GenesisOptions = {}): Promise<Ledger> {
  return Ledger.initialize(store, testGenesis(options), { suite });
}

let nonceCounter = 0;

export interface TxOptions {
  /** The algorithm the client hashes the content with (the ledger's, unless testing a mismatch). */
  readonly hashAlgorithm?: 'SHA256' | 'SM3';
  readonly signers?: readonly KeyPair[];
  readonly nodes?: readonly KeyPair[];
  readonly timestamp?: bigint;
  readonly nonce?: Uint8Array;
}

/** A transaction signed by `signers` (default: the admin) and co-signed by the gateway. */
export function tx(ledgerHash: HashDigest, operations: readonly Operation[], options: TxOptions = {}): TransactionRequest {
  const nonce = options.nonce ?? new TextEncoder().encode(`nonce-${String(++nonceCounter).padStart(10, '0')}`);
  const content = { ledgerHash, operations, timestamp: options.timestamp ?? GENESIS_TIME + 1000n, nonce };
  const hash = transactionHash(suite, options.hashAlgorithm ?? 'SHA256', content);
  return {
    content,
    endpointSignatures: (options.signers ?? [admin]).map((keys) => signHash(suite, keys.privateKey, hash)),
    nodeSignatures: (options.nodes ?? [gateway]).map((keys) => signHash(suite, keys.privateKey, hash)),
  };
}

/** A commit certificate signed by every organisation. */
export function certificateFor(ledgerHash: HashDigest, result: ExecutionResult): CommitCertificate {
  const vote = { ledgerHash, height: result.header.height, round: 0, blockHash: result.blockHash };
  const message = commitVoteMessage(vote);
  return {
    height: vote.height,
    round: 0,
    blockHash: result.blockHash,
    votes: organisations.map((org, id) => ({ voter: { type: 'PARTICIPANT_ID' as const, id }, signature: suite.sign(org.keys.privateKey, message) })),
  };
}

/** Executes one block on the tip at `timestamp` and commits it. */
export async function commitBlock(ledger: Ledger, transactions: readonly TransactionRequest[], timestamp = GENESIS_TIME + 1000n): Promise<ExecutionResult> {
  const result = ledger.execute({ height: ledger.tip.height + 1, timestamp, transactions });
  await ledger.commit(result.writeSet, certificateFor(ledger.ledgerHash, result));
  return result;
}

/** Runs one transaction in a block of its own and returns its TransactionState. */
export async function run(ledger: Ledger, operations: readonly Operation[], options: TxOptions = {}): Promise<string> {
  const result = await commitBlock(ledger, [tx(ledger.ledgerHash, operations, options)]);
  const [only] = result.results;
  if (only === undefined) throw new Error(`the transaction was rejected: ${result.rejected.map((r) => r.message).join('; ')}`);
  return only.state;
}

/** Runs operations as the admin and insists they succeed. */
export async function setup(ledger: Ledger, operations: readonly Operation[]): Promise<void> {
  const state = await run(ledger, operations);
  if (state !== 'SUCCESS') throw new Error(`setup failed with ${state}`);
}

/** The state roots of a view (everything but the transaction set). */
export function stateRoots(view: LedgerView): string[] {
  const h = view.header;
  return [h.adminRoot, h.userRoot, h.dataAccountRoot, h.contractRoot, h.eventRoot].map((root) => root.toBase58());
}

export function registerUser(keys: KeyPair & { readonly address: Address }): Operation {
  return { type: 'UserRegister', address: keys.address, pubKey: keys.publicKey };
}

export function authorize(keys: { readonly address: Address }, roles: readonly string[], policy: 'UNION' | 'INTERSECT' = 'UNION'): Operation {
  return { type: 'UserAuthorize', authorizations: [{ userAddresses: [keys.address], policy, authorizeRoles: roles, unauthorizeRoles: [] }] };
}

export function grant(roleName: string, ledgerPermissions: readonly LedgerPermission[], transactionPermissions: readonly TransactionPermission[] = []): Operation {
  return {
    type: 'RolesConfigure',
    roles: [{ name: roleName, enableLedgerPermissions: ledgerPermissions, disableLedgerPermissions: [], enableTransactionPermissions: transactionPermissions, disableTransactionPermissions: [] }],
  };
}

export function text(value: string): TypedValue {
  return { type: 'TEXT', value };
}
