import { PrivKey, cryptoSuite } from '@jadechain/crypto/node';
import type { Address, HashDigest, KeyPair } from '@jadechain/crypto';
import { Ledger, combineInit, createInitProposal, events as eventsOf, signInitProposal } from '@jadechain/ledger';
import type { ContractReceipt } from '@jadechain/ledger';
import { MemoryStore } from '@jadechain/storage';
import { commitVoteMessage, signHash, transactionHash } from '@jadechain/types';
import type { AccountState, Event, LedgerPermission, LedgerSettings, Operation, RolePrivileges, TransactionRequest, TransactionResult, TransactionState } from '@jadechain/types';
import type { KvEntryView } from './host.js';
import type { ContractLimits } from './limits.js';
import type { GasReport } from './meter.js';
import { QuickJsContractExecutor } from './executor.js';

/** A harness identity: a key pair derived from a label, so runs are reproducible. */
export interface Identity extends KeyPair {
  readonly label: string;
  readonly address: Address;
}

const identities = new Map<string, Identity>();

export function identity(label: string): Identity {
  let known = identities.get(label);
  if (known === undefined) {
    known = deriveIdentity(label);
    identities.set(label, known);
  }
  return known;
}

function deriveIdentity(label: string): Identity {
  const seed = cryptoSuite.hash('SHA256', new TextEncoder().encode(`jadechain-harness:${label}`)).raw;
  const privateKey = new PrivKey('ED25519', seed);
  const publicKey = cryptoSuite.publicKeyOf(privateKey);
  return { label, privateKey, publicKey, address: publicKey.address() };
}

/** The address of a harness identity (user, account or contract) named `label`. */
export function labelAddress(label: string): Address {
  return identity(label).address;
}

/** What harness users may do: everything a contract test needs, nothing administrative. */
const USER_PERMISSIONS: readonly LedgerPermission[] = [
  'REGISTER_DATA_ACCOUNT', 'REGISTER_EVENT_ACCOUNT', 'REGISTER_CONTRACT', 'UPGRADE_CONTRACT',
  'WRITE_DATA_ACCOUNT', 'WRITE_EVENT_ACCOUNT', 'UPDATE_CONTRACT_STATE',
];
const ADMIN_PERMISSIONS: readonly LedgerPermission[] = [...USER_PERMISSIONS, 'CONFIGURE_ROLES', 'AUTHORIZE_USER_ROLES', 'REGISTER_USER', 'UPDATE_USER_STATE'];
const ROLES: readonly RolePrivileges[] = [
  { name: 'ADMIN', ledgerPermissions: ADMIN_PERMISSIONS, transactionPermissions: ['DIRECT_OPERATION', 'CONTRACT_OPERATION'] },
  { name: 'USER', ledgerPermissions: USER_PERMISSIONS, transactionPermissions: ['DIRECT_OPERATION', 'CONTRACT_OPERATION'] },
  { name: 'GATEWAY', ledgerPermissions: ['APPROVE_TX'], transactionPermissions: [] },
];

const GENESIS_TIME = 1_700_000_000_000n;

/** Each block is one second after the previous one: contracts see a reproducible time. */
function blockTime(height: number): bigint {
  return GENESIS_TIME + BigInt(height) * 1_000n;
}

const SETTINGS: LedgerSettings = {
  protocolVersion: 1,
  crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519'] },
  consensus: { provider: 'single', properties: {} },
  identityMode: 'KEYPAIR',
  rootCertificates: [],
  limits: { maxTransactionBytes: 16 << 20, maxOperationsPerTransaction: 64, maxTransactionsPerBlock: 1000, maxBlockBytes: 64 << 20, maxValueBytes: 1 << 20 },
  timestampWindowMs: 60_000,
};

/** One transaction as the ledger recorded it. */
export interface Submitted {
  readonly state: TransactionState;
  readonly result: TransactionResult;
  /** Gas and contract errors, when the transaction invoked a contract. */
  readonly receipt: ContractReceipt | undefined;
  /** Full gas reports of the invocations it ran, in order (the ledger records only `used`). */
  readonly gasReports: readonly GasReport[];
}

export interface LocalLedgerOptions {
  /** Contract limits of this ledger (every invocation uses them). */
  readonly limits?: Partial<ContractLimits>;
}

/**
 * A real `Ledger` on `MemoryStore`, with one participant, a gateway and the QuickJS executor:
 * what contract unit tests run against. Each submission is one block, executed and committed
 * as a peer would; harness users (by label) get the USER role on first use.
 */
export class LocalLedger {
  readonly admin = identity('admin');
  private readonly gateway = identity('gateway');
  private readonly participant = identity('participant');
  private readonly registered = new Set<string>([this.admin.label, this.gateway.label]);
  private nonce = 0;

  private constructor(
    readonly ledger: Ledger,
    /** Filled by the executor as invocations run. */
    private readonly gasReports: readonly GasReport[],
  ) {}

  static async create(options: LocalLedgerOptions = {}): Promise<LocalLedger> {
    const reports: GasReport[] = [];
    const executor = await QuickJsContractExecutor.load(options.limits ?? {}, (gas) => reports.push(gas));
    return new LocalLedger(await Ledger.initialize(new MemoryStore(), genesis(), { suite: cryptoSuite, contractExecutor: executor }), reports);
  }

  /** Registers the user `label` (USER role) unless it is already registered; returns its identity. */
  async user(label: string): Promise<Identity> {
    const user = identity(label);
    if (!this.registered.has(label)) {
      this.registered.add(label);
      await this.expect([
        { type: 'UserRegister', address: user.address, pubKey: user.publicKey },
        { type: 'UserAuthorize', authorizations: [{ userAddresses: [user.address], policy: 'UNION', authorizeRoles: ['USER'], unauthorizeRoles: [] }] },
      ]);
    }
    return user;
  }

  async createDataAccount(label: string, owners: readonly Address[] = [], modeBits = 0o755): Promise<Address> {
    return this.createAccount('DATA', label, owners, modeBits);
  }

  async createEventAccount(label: string, owners: readonly Address[] = [], modeBits = 0o755): Promise<Address> {
    return this.createAccount('EVENT', label, owners, modeBits);
  }

  /**
   * Deploys (or, when `label` is deployed already, upgrades) code as `by` (default: the admin);
   * throws with the recorded state if the ledger refuses it.
   */
  async deploy(label: string, code: string, by = 'admin'): Promise<Address> {
    const contract = identity(label);
    const deployed = this.ledger.tip.state().contract(contract.address)?.value;
    await this.expect(
      [{ type: 'ContractDeploy', address: contract.address, pubKey: contract.publicKey, code: new TextEncoder().encode(code), expectedVersion: deployed?.version ?? -1n, language: 'JAVASCRIPT' }],
      [by],
    );
    return contract.address;
  }

  async setContractState(contract: Address, state: AccountState, by = 'admin'): Promise<Submitted> {
    return this.submit([{ type: 'ContractStateUpdate', address: contract, state }], [by]);
  }

  /** Submits operations signed by the users `signers` (labels) in a block of their own. */
  async submit(operations: readonly Operation[], signers: readonly string[] = ['admin']): Promise<Submitted> {
    const [only] = await this.submitBlock([{ operations, signers }]);
    if (only === undefined) throw new Error('the block holds no transaction');
    return only;
  }

  /**
   * Submits several transactions as one block, in order, and commits it (one submission at a
   * time: blocks follow each other). New signers are registered first, each in a block.
   */
  async submitBlock(transactions: ReadonlyArray<{ readonly operations: readonly Operation[]; readonly signers: readonly string[] }>): Promise<Submitted[]> {
    const signed: Array<{ request: TransactionRequest; hash: HashDigest }> = [];
    for (const { operations, signers } of transactions) {
      const keys: Identity[] = [];
      for (const label of signers) keys.push(await this.user(label));
      signed.push(this.sign(operations, keys));
    }
    const { ledgerHash } = this.ledger;
    const height = this.ledger.tip.height + 1;
    const firstReport = this.gasReports.length;
    const executed = this.ledger.execute({ height, timestamp: blockTime(height), transactions: signed.map(({ request }) => request) });
    const [rejected] = executed.rejected;
    if (rejected !== undefined) throw new Error(`transaction ${rejected.batchIndex} was rejected: ${rejected.code}: ${rejected.message}`);
    const vote = { ledgerHash, height: BigInt(height), round: 0, blockHash: executed.blockHash };
    const signature = cryptoSuite.sign(this.participant.privateKey, commitVoteMessage(vote));
    await this.ledger.commit(executed.writeSet, { ...vote, votes: [{ voter: { type: 'PARTICIPANT_ID', id: 0 }, signature }] });
    let report = firstReport;
    return signed.map(({ hash }) => {
      const recorded = this.ledger.transaction(hash);
      if (recorded === undefined) throw new Error('a committed transaction is missing');
      // The executor reported one gas report per recorded invocation, in block order.
      const invocations = recorded.receipt?.invocations.length ?? 0;
      const gasReports = this.gasReports.slice(report, report + invocations);
      report += invocations;
      return { state: recorded.result.state, result: recorded.result, receipt: recorded.receipt, gasReports };
    });
  }

  private sign(operations: readonly Operation[], keys: readonly Identity[]): { request: TransactionRequest; hash: HashDigest } {
    const timestamp = blockTime(this.ledger.tip.height + 1);
    const content = { ledgerHash: this.ledger.ledgerHash, operations, timestamp, nonce: new TextEncoder().encode(`harness-${String(++this.nonce).padStart(8, '0')}`) };
    const hash = transactionHash(cryptoSuite, 'SHA256', content);
    const request = {
      content,
      endpointSignatures: keys.map((key) => signHash(cryptoSuite, key.privateKey, hash)),
      nodeSignatures: [signHash(cryptoSuite, this.gateway.privateKey, hash)],
    };
    return { request, hash };
  }

  /** The latest entry of a KV key, or undefined. */
  kv(account: Address, key: string): KvEntryView | undefined {
    const entry = this.ledger.tip.state().kvEntry(account, key);
    return entry === undefined ? undefined : { version: entry.version, value: entry.value };
  }

  /** The events of a topic, oldest first (at most 100). */
  events(account: Address, topic: string): readonly Event[] {
    return eventsOf(this.ledger.tip, account, topic);
  }

  private async createAccount(kind: 'DATA' | 'EVENT', label: string, owners: readonly Address[], modeBits: number): Promise<Address> {
    const account = identity(label);
    const register: Operation = kind === 'DATA'
      ? { type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey }
      : { type: 'EventAccountRegister', address: account.address, pubKey: account.publicKey };
    const permission: Operation = {
      type: 'AccountPermissionSet',
      address: account.address,
      accountType: kind,
      modeBits,
      ...(owners.length === 0 ? {} : { owners }),
    };
    await this.expect([register, permission]);
    return account.address;
  }

  private async expect(operations: readonly Operation[], signers: readonly string[] = ['admin']): Promise<void> {
    const submitted = await this.submit(operations, signers);
    if (submitted.state !== 'SUCCESS') throw new Error(`${operations[0]?.type ?? 'the transaction'} failed with ${submitted.state}`);
  }
}

function genesis(): ReturnType<typeof combineInit> {
  const admin = identity('admin');
  const gateway = identity('gateway');
  const participant = identity('participant');
  const proposal = createInitProposal({
    seed: new TextEncoder().encode('jadechain contract harness'),
    createdTime: GENESIS_TIME,
    settings: SETTINGS,
    participants: [{ id: 0, name: 'harness', address: participant.address, pubKey: participant.publicKey, state: 'CONSENSUS' }],
    genesisUsers: [
      { pubKey: admin.publicKey, roles: ['ADMIN'], policy: 'UNION' },
      { pubKey: gateway.publicKey, roles: ['GATEWAY'], policy: 'UNION' },
    ],
    roles: ROLES,
  });
  return combineInit(cryptoSuite, proposal, [signInitProposal(cryptoSuite, proposal, participant.privateKey)]);
}
