import { PrivKey, cryptoSuite } from '@jadechain/crypto/node';
import type { HashDigest, KeyPair } from '@jadechain/crypto';
import { Ledger, combineInit, createInitProposal, signInitProposal } from '@jadechain/ledger';
import type { AcceptedTransaction } from '@jadechain/ledger';
import { MemoryStore } from '@jadechain/storage';
import type { KVStore } from '@jadechain/storage';
import { signHash, transactionHash } from '@jadechain/types';
import type { LedgerLimits, TransactionRequest } from '@jadechain/types';
import { Listeners, digestKey, selfCertificate } from '../src/index.js';
import type { BatchLimits, CommitSigner, CommittedSummary, ConsensusEngine, PooledTransaction, TransactionSource } from '../src/index.js';

/** A one-participant ledger, its signer, transactions, and a plain FIFO transaction source. */
export const suite = cryptoSuite;
export const GENESIS_TIME = 1_700_000_000_000n;

function keyPair(label: string): KeyPair {
  const privateKey = new PrivKey('ED25519', suite.hash('SHA256', new TextEncoder().encode(`consensus-test:${label}`)).raw);
  return { privateKey, publicKey: suite.publicKeyOf(privateKey) };
}

export const participant = keyPair('participant');
const user = keyPair('user');
const gateway = keyPair('gateway');
export const account = keyPair('account');

export const signer: CommitSigner = { voter: { type: 'PARTICIPANT_ID', id: 0 }, sign: (message) => suite.sign(participant.privateKey, message) };

export function limits(overrides: Partial<LedgerLimits> = {}): LedgerLimits {
  return { maxTransactionBytes: 1 << 16, maxOperationsPerTransaction: 8, maxTransactionsPerBlock: 1000, maxBlockBytes: 1 << 24, maxValueBytes: 1 << 12, ...overrides };
}

export async function newLedger(store: KVStore = new MemoryStore(), blockLimits: LedgerLimits = limits()): Promise<Ledger> {
  const proposal = createInitProposal({
    seed: new TextEncoder().encode('consensus tests'),
    createdTime: GENESIS_TIME,
    settings: {
      protocolVersion: 1,
      crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519'] },
      consensus: { provider: 'single', properties: {} },
      identityMode: 'KEYPAIR',
      rootCertificates: [],
      limits: blockLimits,
      timestampWindowMs: 3_600_000,
    },
    participants: [{ id: 0, name: 'p0', address: participant.publicKey.address(), pubKey: participant.publicKey, state: 'CONSENSUS' }],
    genesisUsers: [
      { pubKey: user.publicKey, roles: ['WRITER'], policy: 'UNION' },
      { pubKey: gateway.publicKey, roles: ['GATEWAY'], policy: 'UNION' },
    ],
    roles: [
      { name: 'WRITER', ledgerPermissions: ['REGISTER_DATA_ACCOUNT', 'WRITE_DATA_ACCOUNT'], transactionPermissions: ['DIRECT_OPERATION'] },
      { name: 'GATEWAY', ledgerPermissions: ['APPROVE_TX'], transactionPermissions: [] },
    ],
  });
  const ledger = await Ledger.initialize(store, combineInit(suite, proposal, [signInitProposal(suite, proposal, participant.privateKey)]), { suite });
  // The data account every test transaction writes to, in block 1.
  const setup = ledger.execute({ height: 1, timestamp: GENESIS_TIME + 1n, transactions: [request(ledger.ledgerHash, 'register')] });
  await ledger.commit(setup.writeSet, selfCertificate(ledger.ledgerHash, 1, setup.blockHash, signer));
  return ledger;
}

let nonce = 0;

/** A signed transaction: `register` makes the test account, anything else writes that key. */
export function request(ledgerHash: HashDigest, key: string, options: { readonly badSignature?: boolean } = {}): TransactionRequest {
  const operation =
    key === 'register'
      ? { type: 'DataAccountRegister' as const, address: account.publicKey.address(), pubKey: account.publicKey }
      : { type: 'KvSet' as const, account: account.publicKey.address(), writes: [{ key, value: { type: 'TEXT' as const, value: `value of ${key}` }, expectedVersion: -1n }] };
  const content = { ledgerHash, operations: [operation], timestamp: GENESIS_TIME + 1000n, nonce: new TextEncoder().encode(`nonce-${String(++nonce).padStart(8, "0")}`) };
  const hash = transactionHash(suite, 'SHA256', content);
  const endpoint = signHash(suite, user.privateKey, hash);
  const forged = { pubKey: endpoint.pubKey, signature: suite.sign(user.privateKey, new TextEncoder().encode('something else')) };
  return { content, endpointSignatures: [options.badSignature === true ? forged : endpoint], nodeSignatures: [signHash(suite, gateway.privateKey, hash)] };
}

type Body = AcceptedTransaction | TransactionRequest;

/**
 * The smallest honest TransactionSource: arrival order, no admission checks of its own (the
 * mempool's are tested in @jadechain/node). Bodies are whatever the test hands it, so a test can
 * queue a transaction that execution must refuse.
 */
export class FifoSource implements TransactionSource<Body> {
  private readonly entries = new Map<string, PooledTransaction<Body>>();
  private readonly available = new Listeners<void>();
  readonly summaries: CommittedSummary[] = [];

  constructor(private readonly ledger: Ledger) {}

  push(...requests: TransactionRequest[]): void {
    for (const body of requests) {
      const check = this.ledger.checkTransaction(body);
      const hash = transactionHash(suite, 'SHA256', body.content);
      this.entries.set(digestKey(hash), check.ok ? { hash, size: check.bytes.length, transaction: check } : { hash, size: 200, transaction: body });
    }
    this.available.emit();
  }

  get size(): number {
    return this.entries.size;
  }

  select(batch: BatchLimits, exclude: (hash: HashDigest) => boolean): Array<PooledTransaction<Body>> {
    const picked: Array<PooledTransaction<Body>> = [];
    let bytes = 0;
    for (const entry of this.entries.values()) {
      if (picked.length >= batch.maxTransactions || bytes + entry.size > batch.maxBytes) break;
      if (batch.fillBytes !== undefined && picked.length > 0 && bytes + entry.size > batch.fillBytes) break;
      if (exclude(entry.hash)) continue;
      bytes += entry.size;
      picked.push(entry);
    }
    return picked;
  }

  get(hash: HashDigest): Body | undefined {
    return this.entries.get(digestKey(hash))?.transaction;
  }

  onAvailable(listener: () => void): () => void {
    return this.available.add(listener);
  }

  committed(block: CommittedSummary): void {
    this.summaries.push(block);
    this.remove(block.transactionHashes);
  }

  remove(hashes: readonly HashDigest[]): void {
    for (const hash of hashes) this.entries.delete(digestKey(hash));
  }
}

/** Resolves once the engine has committed `height`; rejects if it fails first. */
export function committedHeight(engine: ConsensusEngine, height: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (engine.status.committedHeight >= height) return resolve();
    const stop = (): void => {
      offCommitted();
      offFailed();
    };
    const offCommitted = engine.onCommitted((block) => {
      if (block.height < height) return;
      stop();
      resolve();
    });
    const offFailed = engine.onFailed((error) => {
      stop();
      reject(error);
    });
  });
}
