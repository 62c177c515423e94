import { PrivKey, cryptoSuite } from '@jadechain/crypto/node';
import type { HashDigest, KeyPair } from '@jadechain/crypto';
import { Ledger, combineInit, createInitProposal, signInitProposal } from '@jadechain/ledger';
import type { AcceptedTransaction } from '@jadechain/ledger';
import { MemoryStore } from '@jadechain/storage';
import { signHash, transactionHash } from '@jadechain/types';
import type { Operation, ParticipantState, TransactionRequest } from '@jadechain/types';
import { digestKey, Listeners } from '../src/engine.js';
import type { BatchLimits, CommittedSummary, PooledTransaction, TransactionSource } from '../src/engine.js';
import { ValidatorSet } from '../src/bft/validators.js';

/** Four participants' ledgers from one genesis, and signed transactions each registering a data account. */
export const GENESIS_TIME = 1_700_000_000_000n;

function keyPair(label: string): KeyPair {
  const privateKey = new PrivKey('ED25519', cryptoSuite.hash('SHA256', new TextEncoder().encode(`bft-engine-test:${label}`)).raw);
  return { privateKey, publicKey: cryptoSuite.publicKeyOf(privateKey) };
}

export const participants = [0, 1, 2, 3].map((id) => keyPair(`participant ${id}`));
const user = keyPair('user');
const gateway = keyPair('gateway');

export const validators = new ValidatorSet(participants.map((pair, id) => ({ id, publicKey: pair.publicKey })));

/** One ledger per participant, all from the same genesis, which every participant signed. */
export async function ledgers(): Promise<Ledger[]> {
  const proposal = createInitProposal({
    seed: new TextEncoder().encode('bft engine tests'),
    createdTime: GENESIS_TIME,
    settings: {
      protocolVersion: 1,
      crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519'] },
      consensus: { provider: 'bft', properties: {} },
      identityMode: 'KEYPAIR',
      rootCertificates: [],
      limits: { maxTransactionBytes: 1 << 16, maxOperationsPerTransaction: 8, maxTransactionsPerBlock: 1000, maxBlockBytes: 1 << 24, maxValueBytes: 1 << 12 },
      timestampWindowMs: 3_600_000,
    },
    participants: participants.map((pair, id) => ({ id, name: `p${id}`, address: pair.publicKey.address(), pubKey: pair.publicKey, state: 'CONSENSUS' as const })),
    genesisUsers: [
      { pubKey: user.publicKey, roles: ['WRITER'], policy: 'UNION' },
      { pubKey: gateway.publicKey, roles: ['GATEWAY'], policy: 'UNION' },
    ],
    roles: [
      { name: 'WRITER', ledgerPermissions: ['REGISTER_DATA_ACCOUNT', 'REGISTER_PARTICIPANT'], transactionPermissions: ['DIRECT_OPERATION'] },
      { name: 'GATEWAY', ledgerPermissions: ['APPROVE_TX'], transactionPermissions: [] },
    ],
  });
  const genesis = combineInit(cryptoSuite, proposal, participants.map((pair) => signInitProposal(cryptoSuite, proposal, pair.privateKey)));
  return Promise.all(participants.map(() => Ledger.initialize(new MemoryStore(), genesis, { suite: cryptoSuite })));
}

/** A transaction registering data account number `n`, signed by the user and co-signed by the gateway. */
export function registration(ledgerHash: HashDigest, n: number): TransactionRequest {
  const account = keyPair(`account ${n}`);
  return signed(ledgerHash, n, [{ type: 'DataAccountRegister', address: account.publicKey.address(), pubKey: account.publicKey }]);
}

/** Transaction number `n`: puts participant `id` in `state` (CONSENSUS activates it, DEACTIVATED removes it from consensus). */
export function participantState(ledgerHash: HashDigest, n: number, id: number, state: ParticipantState): TransactionRequest {
  return signed(ledgerHash, n, [{ type: 'ParticipantStateUpdate', address: (participants[id] as KeyPair).publicKey.address(), state }]);
}

function signed(ledgerHash: HashDigest, n: number, operations: Operation[]): TransactionRequest {
  const content = {
    ledgerHash,
    operations,
    timestamp: GENESIS_TIME + 1000n,
    nonce: new TextEncoder().encode(`nonce-${String(n).padStart(8, '0')}`),
  };
  const hash = transactionHash(cryptoSuite, 'SHA256', content);
  return { content, endpointSignatures: [signHash(cryptoSuite, user.privateKey, hash)], nodeSignatures: [signHash(cryptoSuite, gateway.privateKey, hash)] };
}

type Body = AcceptedTransaction;

/** A participant's pool: transactions checked by its own ledger, in arrival order. */
export class Pool implements TransactionSource<Body> {
  private readonly entries = new Map<string, PooledTransaction<Body>>();
  private readonly available = new Listeners<void>();

  constructor(private readonly ledger: Ledger) {}

  push(...requests: TransactionRequest[]): void {
    for (const request of requests) {
      const check = this.ledger.checkTransaction(request);
      if (!check.ok) throw new Error(`test transaction refused: ${check.code}`);
      this.entries.set(digestKey(check.transactionHash), { hash: check.transactionHash, size: check.bytes.length, transaction: check });
    }
    this.available.emit();
  }

  get size(): number {
    return this.entries.size;
  }

  select(limits: BatchLimits, exclude: (hash: HashDigest) => boolean): PooledTransaction<Body>[] {
    return [...this.entries.values()].filter((entry) => !exclude(entry.hash)).slice(0, limits.maxTransactions);
  }

  get(hash: HashDigest): Body | undefined {
    return this.entries.get(digestKey(hash))?.transaction;
  }

  onAvailable(listener: () => void): () => void {
    return this.available.add(listener);
  }

  committed(block: CommittedSummary): void {
    this.remove(block.transactionHashes);
  }

  remove(hashes: readonly HashDigest[]): void {
    for (const hash of hashes) this.entries.delete(digestKey(hash));
  }
}
